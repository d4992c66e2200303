/**
 * The demo data of Filo: the offices, categories and queues of the Comune di
 * Prato, one staff user per role, and the material cases and contacts are drawn
 * from (Prato's streets, Italian names, what citizens actually write about).
 *
 * Addresses that could receive mail use reserved domains (.example, example.com,
 * RFC 2606), so a demo that sends notifications never reaches a real inbox.
 */

export const OFFICES = [
  { code: 'lavori-pubblici', name: 'Lavori Pubblici', email: 'lavori.pubblici@comune.prato.example' },
  { code: 'ambiente', name: 'Ambiente', email: 'ambiente@comune.prato.example' },
  { code: 'verde-pubblico', name: 'Verde Pubblico', email: 'verde.pubblico@comune.prato.example' },
  { code: 'mobilita', name: 'Mobilità e Viabilità', email: 'mobilita@comune.prato.example' },
  {
    code: 'polizia-municipale',
    name: 'Polizia Municipale',
    email: 'polizia.municipale@comune.prato.example',
  },
  { code: 'servizi-demografici', name: 'Servizi Demografici', email: 'anagrafe@comune.prato.example' },
  { code: 'tributi', name: 'Tributi', email: 'tributi@comune.prato.example' },
  { code: 'pubblica-istruzione', name: 'Pubblica Istruzione', email: 'scuola@comune.prato.example' },
  { code: 'urp', name: 'URP – Ufficio Relazioni con il Pubblico', email: 'urp@comune.prato.example' },
  { code: 'servizi-sociali', name: 'Servizi Sociali', email: 'servizi.sociali@comune.prato.example' },
  { code: 'edilizia-suap', name: 'Edilizia Privata e SUAP', email: 'suap@comune.prato.example' },
  {
    code: 'sistema-informativo',
    name: 'Sistema Informativo',
    email: 'sistema.informativo@comune.prato.example',
  },
] as const

export type OfficeCode = (typeof OFFICES)[number]['code']

/** Queues without an office: the contact centre's own, and the one where unrouted cases wait. */
export const SHARED_QUEUES = [
  { code: 'call-centre', name: 'Call centre unico' },
  { code: 'triage', name: 'Smistamento (triage)' },
  // Missed and abandoned calls become callback cases here (core/src/channels/phone).
  { code: 'callback', name: 'Richiamate' },
] as const

export interface LeafCategory {
  code: string
  nameIt: string
  nameEn: string
  /** The office that works it, when not the parent's. */
  office?: OfficeCode
  /** Relative share of the cases. */
  weight: number
  /** A problem at a place in town: the case gets an address and coordinates. */
  located: boolean
  /** Usually a danger: drawn with high or urgent priority more often. */
  pressing?: boolean
}

export interface ParentCategory {
  code: string
  nameIt: string
  nameEn: string
  office: OfficeCode
  children: readonly LeafCategory[]
}

export const CATEGORIES: readonly ParentCategory[] = [
  {
    code: 'strade',
    nameIt: 'Strade e marciapiedi',
    nameEn: 'Roads and pavements',
    office: 'lavori-pubblici',
    children: [
      {
        code: 'strade.buche',
        nameIt: 'Buche nel manto stradale',
        nameEn: 'Potholes',
        weight: 9,
        located: true,
      },
      {
        code: 'strade.marciapiede',
        nameIt: 'Marciapiede dissestato',
        nameEn: 'Damaged pavement',
        weight: 5,
        located: true,
      },
      {
        code: 'strade.segnaletica',
        nameIt: 'Segnaletica stradale',
        nameEn: 'Road signs and markings',
        office: 'mobilita',
        weight: 3,
        located: true,
      },
      {
        code: 'strade.caditoie',
        nameIt: 'Tombini e caditoie ostruiti',
        nameEn: 'Blocked drains',
        weight: 3,
        located: true,
      },
    ],
  },
  {
    code: 'illuminazione',
    nameIt: 'Illuminazione pubblica',
    nameEn: 'Street lighting',
    office: 'lavori-pubblici',
    children: [
      {
        code: 'illuminazione.lampione-spento',
        nameIt: 'Lampione spento',
        nameEn: 'Street light out',
        weight: 6,
        located: true,
      },
      {
        code: 'illuminazione.palo-danneggiato',
        nameIt: 'Palo della luce danneggiato',
        nameEn: 'Damaged lamp post',
        weight: 1.5,
        located: true,
        pressing: true,
      },
    ],
  },
  {
    code: 'rifiuti',
    nameIt: 'Rifiuti e decoro urbano',
    nameEn: 'Waste and street cleanliness',
    office: 'ambiente',
    children: [
      {
        code: 'rifiuti.abbandono',
        nameIt: 'Abbandono di rifiuti',
        nameEn: 'Fly-tipping',
        weight: 8,
        located: true,
      },
      {
        code: 'rifiuti.cassonetto-pieno',
        nameIt: 'Cassonetto pieno o danneggiato',
        nameEn: 'Full or damaged bin',
        weight: 5,
        located: true,
      },
      {
        code: 'rifiuti.raccolta-mancata',
        nameIt: 'Mancata raccolta porta a porta',
        nameEn: 'Missed door-to-door collection',
        weight: 4,
        located: true,
      },
      {
        code: 'rifiuti.graffiti',
        nameIt: 'Graffiti e scritte sui muri',
        nameEn: 'Graffiti',
        weight: 2,
        located: true,
      },
    ],
  },
  {
    code: 'verde',
    nameIt: 'Verde pubblico',
    nameEn: 'Parks and trees',
    office: 'verde-pubblico',
    children: [
      {
        code: 'verde.potatura',
        nameIt: 'Potatura e sfalcio',
        nameEn: 'Pruning and mowing',
        weight: 3,
        located: true,
      },
      {
        code: 'verde.alberi-pericolanti',
        nameIt: 'Alberi pericolanti',
        nameEn: 'Dangerous trees',
        weight: 2,
        located: true,
        pressing: true,
      },
      {
        code: 'verde.parchi',
        nameIt: 'Manutenzione parchi e giardini',
        nameEn: 'Park maintenance',
        weight: 3,
        located: true,
      },
      {
        code: 'verde.giochi',
        nameIt: 'Giochi per bambini danneggiati',
        nameEn: 'Damaged playground equipment',
        weight: 1.5,
        located: true,
      },
    ],
  },
  {
    code: 'mobilita',
    nameIt: 'Mobilità e traffico',
    nameEn: 'Traffic and transport',
    office: 'mobilita',
    children: [
      {
        code: 'mobilita.semafori',
        nameIt: 'Semaforo guasto',
        nameEn: 'Faulty traffic light',
        weight: 2,
        located: true,
        pressing: true,
      },
      {
        code: 'mobilita.ztl',
        nameIt: 'ZTL e permessi di accesso',
        nameEn: 'Restricted traffic zone and permits',
        weight: 4,
        located: false,
      },
      {
        code: 'mobilita.trasporto-pubblico',
        nameIt: 'Trasporto pubblico',
        nameEn: 'Public transport',
        weight: 3,
        located: false,
      },
      {
        code: 'mobilita.sosta',
        nameIt: 'Parcheggi e sosta a pagamento',
        nameEn: 'Parking',
        weight: 2,
        located: false,
      },
    ],
  },
  {
    code: 'sicurezza',
    nameIt: 'Sicurezza urbana',
    nameEn: 'Public safety',
    office: 'polizia-municipale',
    children: [
      {
        code: 'sicurezza.veicolo-abbandonato',
        nameIt: 'Veicolo abbandonato',
        nameEn: 'Abandoned vehicle',
        weight: 2.5,
        located: true,
      },
      {
        code: 'sicurezza.rumori',
        nameIt: 'Rumori molesti',
        nameEn: 'Noise nuisance',
        weight: 3,
        located: true,
      },
      {
        code: 'sicurezza.sosta-irregolare',
        nameIt: 'Sosta irregolare e passi carrabili',
        nameEn: 'Illegal parking and blocked driveways',
        weight: 3,
        located: true,
      },
    ],
  },
  {
    code: 'anagrafe',
    nameIt: 'Anagrafe e stato civile',
    nameEn: 'Registry office',
    office: 'servizi-demografici',
    children: [
      {
        code: 'anagrafe.certificati',
        nameIt: 'Certificati',
        nameEn: 'Certificates',
        weight: 4,
        located: false,
      },
      {
        code: 'anagrafe.residenza',
        nameIt: 'Cambio di residenza',
        nameEn: 'Change of residence',
        weight: 4,
        located: false,
      },
      {
        code: 'anagrafe.carta-identita',
        nameIt: "Carta d'identità elettronica",
        nameEn: 'Electronic identity card',
        weight: 6,
        located: false,
      },
    ],
  },
  {
    code: 'tributi',
    nameIt: 'Tributi',
    nameEn: 'Local taxes',
    office: 'tributi',
    children: [
      {
        code: 'tributi.tari',
        nameIt: 'TARI (tassa rifiuti)',
        nameEn: 'TARI (waste tax)',
        weight: 5,
        located: false,
      },
      { code: 'tributi.imu', nameIt: 'IMU', nameEn: 'IMU (property tax)', weight: 3, located: false },
    ],
  },
  {
    code: 'scuola',
    nameIt: 'Scuola e servizi educativi',
    nameEn: 'Schools',
    office: 'pubblica-istruzione',
    children: [
      { code: 'scuola.mensa', nameIt: 'Mensa scolastica', nameEn: 'School meals', weight: 3, located: false },
      {
        code: 'scuola.trasporto',
        nameIt: 'Trasporto scolastico',
        nameEn: 'School transport',
        weight: 1.5,
        located: false,
      },
      {
        code: 'scuola.iscrizioni',
        nameIt: 'Iscrizioni a nidi e scuole',
        nameEn: 'Nursery and school enrolment',
        weight: 2.5,
        located: false,
      },
    ],
  },
  {
    code: 'sociale',
    nameIt: 'Servizi sociali',
    nameEn: 'Social services',
    office: 'servizi-sociali',
    children: [
      {
        code: 'sociale.anziani',
        nameIt: 'Assistenza ad anziani e persone fragili',
        nameEn: 'Care for the elderly and vulnerable',
        weight: 2,
        located: false,
      },
      {
        code: 'sociale.contributi',
        nameIt: 'Contributi e agevolazioni economiche',
        nameEn: 'Benefits and allowances',
        weight: 2.5,
        located: false,
      },
      {
        code: 'sociale.casa',
        nameIt: 'Emergenza abitativa e alloggi',
        nameEn: 'Housing',
        weight: 1.5,
        located: false,
      },
    ],
  },
  {
    code: 'edilizia',
    nameIt: 'Edilizia e attività produttive',
    nameEn: 'Building and business permits',
    office: 'edilizia-suap',
    children: [
      {
        code: 'edilizia.pratiche',
        nameIt: 'Pratiche edilizie',
        nameEn: 'Building permits',
        weight: 2,
        located: false,
      },
      {
        code: 'edilizia.suap',
        nameIt: 'Attività produttive (SUAP)',
        nameEn: 'Business permits (SUAP)',
        weight: 2,
        located: false,
      },
    ],
  },
  {
    code: 'informazioni',
    nameIt: 'Informazioni generali',
    nameEn: 'General information',
    office: 'urp',
    children: [
      {
        code: 'informazioni.generali',
        nameIt: 'Richiesta di informazioni',
        nameEn: 'Information request',
        weight: 7,
        located: false,
      },
      {
        code: 'informazioni.reclami',
        nameIt: 'Reclami e suggerimenti',
        nameEn: 'Complaints and suggestions',
        weight: 3,
        located: false,
      },
      {
        code: 'informazioni.servizi-online',
        nameIt: 'Servizi online, SPID e CIE',
        nameEn: 'Online services, SPID and CIE',
        office: 'sistema-informativo',
        weight: 3,
        located: false,
      },
    ],
  },
]

/** The password of every demo account: printed by `pnpm db:seed` and `pnpm start`, never for production. */
export const DEMO_PASSWORD = 'filo-demo-2026'

export type DemoRole = 'admin' | 'supervisor' | 'operator' | 'office_staff' | 'field_worker'

export interface DemoUser {
  email: string
  role: DemoRole
  fullName: string
  /** Offices an office_staff user works for. */
  offices?: readonly OfficeCode[]
  /** The PBX extension they answer on (the CTI webhook's answeringNumber). */
  extension?: string
}

/** One account per role, the ones a person trying Filo logs in with. */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'admin@filo.demo', role: 'admin', fullName: 'Amministratore Demo' },
  { email: 'supervisore@filo.demo', role: 'supervisor', fullName: 'Lucia Bardazzi', extension: '200' },
  { email: 'operatore@filo.demo', role: 'operator', fullName: 'Marco Bettazzi', extension: '201' },
  {
    email: 'ufficio@filo.demo',
    role: 'office_staff',
    fullName: 'Chiara Mazzoni',
    offices: ['lavori-pubblici', 'verde-pubblico'],
  },
  { email: 'campo@filo.demo', role: 'field_worker', fullName: 'Stefano Gori' },
]

/** Colleagues in the other offices, so every office's list has someone to assign to. */
export const EXTRA_STAFF: readonly DemoUser[] = [
  {
    email: 'giulia.calamai@filo.demo',
    role: 'office_staff',
    fullName: 'Giulia Calamai',
    offices: ['ambiente'],
  },
  {
    email: 'paolo.vannucchi@filo.demo',
    role: 'office_staff',
    fullName: 'Paolo Vannucchi',
    offices: ['mobilita'],
  },
  {
    email: 'roberto.nesti@filo.demo',
    role: 'office_staff',
    fullName: 'Roberto Nesti',
    offices: ['polizia-municipale'],
  },
  {
    email: 'elena.fantechi@filo.demo',
    role: 'office_staff',
    fullName: 'Elena Fantechi',
    offices: ['servizi-demografici'],
  },
  { email: 'andrea.querci@filo.demo', role: 'office_staff', fullName: 'Andrea Querci', offices: ['tributi'] },
  {
    email: 'francesca.lucchesi@filo.demo',
    role: 'office_staff',
    fullName: 'Francesca Lucchesi',
    offices: ['pubblica-istruzione'],
  },
  { email: 'simone.bini@filo.demo', role: 'office_staff', fullName: 'Simone Bini', offices: ['urp'] },
  {
    email: 'silvia.paoletti@filo.demo',
    role: 'office_staff',
    fullName: 'Silvia Paoletti',
    offices: ['servizi-sociali'],
  },
  {
    email: 'davide.cecchi@filo.demo',
    role: 'office_staff',
    fullName: 'Davide Cecchi',
    offices: ['edilizia-suap'],
  },
  {
    email: 'matteo.santini@filo.demo',
    role: 'office_staff',
    fullName: 'Matteo Santini',
    offices: ['lavori-pubblici'],
  },
]

export interface Street {
  name: string
  lat: number
  lon: number
  /** Highest civic number along it. */
  maxCivic: number
}

/** Real streets and squares of Prato, each with a point on it. */
export const STREETS: readonly Street[] = [
  { name: 'Piazza del Comune', lat: 43.8808, lon: 11.0966, maxCivic: 20 },
  { name: 'Piazza del Duomo', lat: 43.8818, lon: 11.0971, maxCivic: 30 },
  { name: 'Piazza Mercatale', lat: 43.8829, lon: 11.1004, maxCivic: 150 },
  { name: 'Piazza San Francesco', lat: 43.8796, lon: 11.0974, maxCivic: 40 },
  { name: 'Piazza San Marco', lat: 43.8808, lon: 11.104, maxCivic: 50 },
  { name: 'Via Roma', lat: 43.8695, lon: 11.0935, maxCivic: 420 },
  { name: 'Viale della Repubblica', lat: 43.8655, lon: 11.1095, maxCivic: 300 },
  { name: 'Via Pistoiese', lat: 43.8862, lon: 11.081, maxCivic: 650 },
  { name: 'Via Bologna', lat: 43.8975, lon: 11.0985, maxCivic: 560 },
  { name: 'Viale Montegrappa', lat: 43.8715, lon: 11.1075, maxCivic: 320 },
  { name: 'Via Firenze', lat: 43.8735, lon: 11.1145, maxCivic: 280 },
  { name: 'Via Pomeria', lat: 43.8838, lon: 11.0935, maxCivic: 90 },
  { name: 'Via Garibaldi', lat: 43.8815, lon: 11.0995, maxCivic: 110 },
  { name: 'Via Valentini', lat: 43.8772, lon: 11.0925, maxCivic: 60 },
  { name: 'Via Ferrucci', lat: 43.8745, lon: 11.1085, maxCivic: 420 },
  { name: 'Viale Galilei', lat: 43.8872, lon: 11.1012, maxCivic: 80 },
  { name: 'Via Cavour', lat: 43.8812, lon: 11.1008, maxCivic: 70 },
  { name: 'Via Santo Stefano', lat: 43.882, lon: 11.0955, maxCivic: 50 },
  { name: 'Via Strozzi', lat: 43.888, lon: 11.092, maxCivic: 120 },
  { name: 'Via Roncioni', lat: 43.88, lon: 11.0915, maxCivic: 90 },
  { name: 'Via del Seminario', lat: 43.881, lon: 11.092, maxCivic: 100 },
  { name: 'Via Magnolfi', lat: 43.883, lon: 11.097, maxCivic: 80 },
  { name: 'Viale Vittorio Veneto', lat: 43.88, lon: 11.104, maxCivic: 90 },
  { name: 'Via Galcianese', lat: 43.892, lon: 11.08, maxCivic: 200 },
  { name: 'Via Cilianuzzo', lat: 43.886, lon: 11.065, maxCivic: 240 },
  { name: 'Via Curiel', lat: 43.896, lon: 11.085, maxCivic: 120 },
  { name: 'Via Fiorentina', lat: 43.869, lon: 11.124, maxCivic: 180 },
  { name: 'Viale Borgovalsugana', lat: 43.875, lon: 11.088, maxCivic: 220 },
  { name: 'Via Fabio Filzi', lat: 43.889, lon: 11.079, maxCivic: 300 },
  { name: 'Via Zarini', lat: 43.869, lon: 11.087, maxCivic: 420 },
  { name: 'Via Paronese', lat: 43.866, lon: 11.08, maxCivic: 140 },
  { name: 'Via Carlo Marx', lat: 43.87, lon: 11.1, maxCivic: 300 },
]

/** The frazioni and neighbourhoods people name when the street alone is not enough. */
export const NEIGHBOURHOODS = [
  'Galciana',
  'Maliseti',
  'Narnali',
  'Chiesanuova',
  'Coiano',
  'Santa Lucia',
  'Iolo',
  'Tavola',
  'Paperino',
  'San Giorgio a Colonica',
  'Mezzana',
  'Le Badie',
  'Vergaio',
  'Casale',
  'Grignano',
  'Cafaggio',
  'Figline',
  'La Querce',
  'Viaccia',
  'Capezzana',
  'Galcetello',
  'San Paolo',
] as const

export const PARKS = [
  'Parco delle Cascine di Tavola',
  'Parco di Galceti',
  'Parco Centrale',
  'Parco del Bisenzio',
  'Parco di Via Marx',
  'giardino di Piazza Ciardi',
] as const

export const SCHOOLS = [
  'scuola primaria di Galciana',
  "scuola dell'infanzia di Maliseti",
  'scuola primaria di Chiesanuova',
  'scuola primaria di Iolo',
  'scuola secondaria di primo grado di Tavola',
  'nido comunale di Santa Lucia',
  'scuola primaria di Narnali',
] as const

export const BUS_LINES = [
  'linea 1',
  'linea 2',
  'linea 3',
  'linea 5',
  'linea 7',
  'linea 9',
  'linea LAM blu',
] as const

export const MONTHS = [
  'gennaio',
  'febbraio',
  'marzo',
  'aprile',
  'maggio',
  'giugno',
  'luglio',
  'agosto',
  'settembre',
  'ottobre',
  'novembre',
  'dicembre',
] as const

/**
 * What people write, per leaf category: a subject and a description in Italian,
 * sometimes also in English for the contacts who write in English. Placeholders:
 * {via} street, {civico} civic number, {frazione}, {parco}, {scuola}, {linea},
 * {giorni} a number of days, {mese} a month.
 */
export interface CaseText {
  subject: string
  description: string
}
export interface CaseTemplate {
  it: CaseText
  en?: CaseText
}

const t = (subject: string, description: string, en?: [string, string]): CaseTemplate =>
  en
    ? { it: { subject, description }, en: { subject: en[0], description: en[1] } }
    : { it: { subject, description } }

export const CASE_TEMPLATES: Readonly<Record<string, readonly CaseTemplate[]>> = {
  'strade.buche': [
    t(
      "Buca profonda in {via} all'altezza del civico {civico}",
      "In {via}, davanti al civico {civico}, c'è una buca profonda in mezzo alla carreggiata. Di sera non si vede e le auto sterzano all'improvviso per evitarla.",
      [
        'Deep pothole in {via} near number {civico}',
        'There is a deep pothole in the middle of the road in {via}, outside number {civico}. Cars swerve to avoid it and it is hard to see at night.',
      ],
    ),
    t(
      'Asfalto sfondato in {via}',
      "Dopo le piogge degli ultimi giorni l'asfalto in {via} (zona civico {civico}) si è sfondato in più punti. Ieri un motorino ci è quasi caduto.",
    ),
    t(
      'Buche sulla pista ciclabile di {via}',
      'La pista ciclabile lungo {via} ha diverse buche tra il civico {civico} e il semaforo. Con la bicicletta è pericoloso, soprattutto per i bambini.',
    ),
    t(
      'Tombino sprofondato in {via} {civico}',
      'Il chiusino davanti al civico {civico} di {via} è sprofondato di alcuni centimetri rispetto al manto stradale e fa un gradino pericoloso per le moto.',
    ),
  ],
  'strade.marciapiede': [
    t(
      'Marciapiede dissestato in {via} {civico}',
      'Il marciapiede davanti al civico {civico} di {via} è sollevato dalle radici degli alberi. Mia madre, che cammina col bastone, è inciampata la settimana scorsa.',
    ),
    t(
      'Marciapiede impraticabile per carrozzine in {via}',
      'In {via} il marciapiede è pieno di mattonelle rotte e non c’è lo scivolo all’incrocio: con la carrozzina bisogna scendere in strada.',
    ),
    t(
      'Mattonelle rotte davanti al civico {civico} di {via}',
      'Diverse mattonelle del marciapiede sono rotte o mancanti, con il rischio di inciampare. La situazione va avanti da circa {giorni} giorni.',
    ),
  ],
  'strade.segnaletica': [
    t(
      'Cartello di stop abbattuto in {via}',
      "All'incrocio di {via} con la traversa vicino al civico {civico} il cartello di stop è a terra, probabilmente urtato da un camion. L'incrocio così è pericoloso.",
    ),
    t(
      'Strisce pedonali cancellate in {via}',
      "Le strisce pedonali davanti al civico {civico} di {via} non si vedono quasi più. Di lì passano molti bambini all'uscita da scuola.",
      [
        'Faded zebra crossing in {via}',
        'The zebra crossing outside number {civico} in {via} has almost disappeared. Many children cross there after school.',
      ],
    ),
    t(
      'Segnaletica orizzontale da rifare in {via}',
      'La segnaletica a terra in {via} è sbiadita: non si distinguono le corsie né la linea di arresto al semaforo.',
    ),
  ],
  'strade.caditoie': [
    t(
      'Caditoie intasate in {via}',
      'Ad ogni pioggia in {via}, all’altezza del civico {civico}, si forma un lago perché le caditoie sono piene di foglie e terra.',
    ),
    t(
      'Allagamento ricorrente in {via} {civico}',
      "Con l'ultimo temporale l'acqua è entrata nei garage del civico {civico} di {via}. Chiediamo la pulizia dei tombini prima delle prossime piogge.",
    ),
  ],
  'illuminazione.lampione-spento': [
    t(
      'Lampione spento da una settimana in {via}',
      'Il lampione davanti al civico {civico} di {via} è spento da circa una settimana. La strada di sera è completamente al buio.',
      [
        'Street light out for a week in {via}',
        'The street light outside number {civico} in {via} has been out for about a week. The street is completely dark in the evening.',
      ],
    ),
    t(
      'Illuminazione assente in {via}',
      'In {via} sono spenti tre lampioni di seguito, dal civico {civico} in poi. Tornando a casa a piedi la sera non ci si sente sicuri.',
    ),
    t(
      'Lampione che si accende e si spegne in {via}',
      'Il lampione vicino al civico {civico} di {via} lampeggia continuamente tutta la notte, da {giorni} giorni.',
    ),
  ],
  'illuminazione.palo-danneggiato': [
    t(
      'Palo della luce piegato in {via}',
      'Il palo della pubblica illuminazione davanti al civico {civico} di {via} è piegato, forse urtato da un’auto, e sembra instabile.',
    ),
    t(
      'Sportello del palo aperto con fili scoperti in {via}',
      'Alla base del lampione in {via} {civico} lo sportello è aperto e si vedono i fili elettrici. Ci passano bambini: è pericoloso.',
    ),
  ],
  'rifiuti.abbandono': [
    t(
      'Rifiuti abbandonati in {via}',
      'Accanto ai cassonetti di {via}, civico {civico}, qualcuno ha lasciato sacchi neri, un materasso e dei mobili rotti. Sono lì da {giorni} giorni.',
      [
        'Rubbish dumped in {via}',
        'Someone has dumped black bags, a mattress and broken furniture next to the bins in {via}, number {civico}. They have been there for {giorni} days.',
      ],
    ),
    t(
      'Scarti tessili abbandonati in {via}',
      'In {via}, vicino al civico {civico}, ci sono di nuovo sacchi di ritagli di tessuto abbandonati sul marciapiede. Succede quasi ogni settimana.',
    ),
    t(
      'Discarica abusiva a {frazione}',
      'Lungo la strada di campagna a {frazione}, dopo {via}, si sta formando una discarica: calcinacci, pneumatici ed elettrodomestici.',
    ),
    t(
      'Eternit abbandonato in {via}',
      'Sul ciglio di {via} ci sono alcune lastre che sembrano di eternit. Chiedo la rimozione in sicurezza.',
    ),
  ],
  'rifiuti.cassonetto-pieno': [
    t(
      'Cassonetto stracolmo in {via} {civico}',
      'Il cassonetto dell’indifferenziata in {via} {civico} è pieno da giorni e i sacchi sono ammassati a terra. C’è cattivo odore.',
    ),
    t(
      'Campana del vetro rotta in {via}',
      'La campana del vetro in {via} ha il fondo rotto e i cocci finiscono sul marciapiede.',
    ),
    t(
      'Cestini pieni in {parco}',
      'I cestini del {parco} sono pieni e nel fine settimana i rifiuti finiscono sul prato.',
    ),
  ],
  'rifiuti.raccolta-mancata': [
    t(
      'Mancata raccolta della carta in {via}',
      'Martedì non è passata la raccolta porta a porta della carta in {via} {civico}. I bidoncini sono ancora in strada.',
    ),
    t(
      "Raccolta dell'organico saltata a {frazione}",
      "A {frazione}, in {via}, da {giorni} giorni non viene ritirato l'organico. Con il caldo l'odore è insopportabile.",
      [
        'Food waste not collected in {frazione}',
        'Food waste has not been collected in {via}, {frazione}, for {giorni} days. With the heat the smell is unbearable.',
      ],
    ),
    t(
      'Richiesta nuovi sacchi per la raccolta differenziata',
      'Abito in {via} {civico} e ho finito i sacchi per la plastica: dove posso ritirarli?',
    ),
  ],
  'rifiuti.graffiti': [
    t(
      'Scritte sui muri in {via}',
      'La facciata dell’edificio in {via} {civico} è stata imbrattata con scritte spray durante la notte.',
    ),
    t(
      'Graffiti sul monumento in {via}',
      'Sono comparse scritte sul basamento del monumento in {via}. Chiedo che vengano rimosse al più presto.',
    ),
  ],
  'verde.potatura': [
    t(
      'Rami che invadono la strada in {via}',
      'I rami degli alberi in {via} {civico} coprono il cartello stradale e toccano i mezzi alti che passano.',
    ),
    t(
      'Erba alta nelle aiuole di {via}',
      'Le aiuole spartitraffico di {via} non vengono tagliate da settimane: l’erba alta impedisce di vedere chi arriva all’incrocio.',
    ),
    t(
      'Siepe da potare in {parco}',
      'La siepe lungo il vialetto del {parco} ha invaso il passaggio e non si passa con il passeggino.',
    ),
  ],
  'verde.alberi-pericolanti': [
    t(
      'Albero pericolante in {via}',
      "Il pino davanti al civico {civico} di {via} è molto inclinato dopo il vento di ieri e le radici hanno sollevato l'asfalto. Temiamo che cada.",
      [
        'Dangerous tree in {via}',
        'The pine tree outside number {civico} in {via} is leaning badly after yesterday’s wind and its roots have lifted the tarmac. We fear it may fall.',
      ],
    ),
    t(
      'Ramo spezzato sospeso sopra il marciapiede in {via}',
      'Un grosso ramo spezzato è rimasto appeso sopra il marciapiede in {via} {civico}, proprio dove passano i ragazzi per andare a scuola.',
    ),
    t(
      'Albero caduto nel {parco}',
      'Nel {parco} un albero è caduto sul vialetto principale. Nessun ferito, ma il passaggio è bloccato.',
    ),
  ],
  'verde.parchi': [
    t(
      'Panchine rotte nel {parco}',
      'Nel {parco} due panchine vicino all’ingresso hanno le assi rotte e le viti sporgenti.',
    ),
    t(
      'Fontanella guasta nel {parco}',
      'La fontanella del {parco} non funziona da {giorni} giorni: con il caldo manca l’acqua per chi porta i bambini o il cane.',
    ),
    t(
      'Illuminazione del {parco} spenta',
      'La sera il {parco} è al buio: i lampioni del vialetto centrale non si accendono.',
    ),
  ],
  'verde.giochi': [
    t(
      'Altalena rotta nel {parco}',
      'Nel {parco} una catena dell’altalena è spezzata e il seggiolino pende. I bambini ci salgono lo stesso.',
    ),
    t(
      'Scivolo danneggiato nel {parco}',
      'Lo scivolo dell’area giochi del {parco} ha una crepa sul bordo e un pezzo di plastica tagliente.',
      [
        'Broken slide in {parco}',
        'The slide in the playground of {parco} has a crack along its edge and a sharp piece of plastic.',
      ],
    ),
  ],
  'mobilita.semafori': [
    t(
      'Semaforo guasto in {via}',
      "Il semaforo all'incrocio di {via} resta giallo lampeggiante da stamattina. Nell'ora di punta il traffico è bloccato e pericoloso.",
      [
        'Traffic light out of order in {via}',
        'The traffic light at the junction in {via} has been flashing amber since this morning. At rush hour traffic is stuck and it is dangerous.',
      ],
    ),
    t(
      'Chiamata pedonale del semaforo non funziona in {via}',
      'Il pulsante di chiamata pedonale del semaforo in {via} {civico} non funziona: il verde per i pedoni non arriva mai.',
    ),
    t(
      'Semaforo con lampada bruciata in {via}',
      'Nel semaforo di {via}, direzione centro, la luce rossa è bruciata.',
    ),
  ],
  'mobilita.ztl': [
    t(
      'Richiesta permesso ZTL per residente',
      'Mi sono trasferito in {via}, nel centro storico. Quali documenti servono per il permesso di accesso alla ZTL per la mia auto?',
      [
        'Restricted traffic zone permit for a resident',
        'I have moved to {via}, in the old town. Which documents do I need for a permit to drive my car into the restricted traffic zone?',
      ],
    ),
    t(
      'Contestazione multa ZTL',
      'Ho ricevuto una sanzione per accesso alla ZTL il {giorni} {mese}, ma avevo il permesso temporaneo per il trasloco. Come posso chiederne l’annullamento?',
    ),
    t(
      'Permesso ZTL per assistenza a familiare',
      'Assisto mia madre che abita in {via} e devo accompagnarla alle visite. È possibile avere un permesso ZTL per assistenza?',
    ),
  ],
  'mobilita.trasporto-pubblico': [
    t(
      'Autobus della {linea} in ritardo',
      'Da {giorni} giorni la corsa delle 7:40 della {linea} passa con più di venti minuti di ritardo e gli studenti arrivano tardi a scuola.',
    ),
    t(
      'Pensilina danneggiata alla fermata di {via}',
      'La pensilina della fermata in {via} ha il vetro rotto e la panchina divelta.',
    ),
    t(
      'Fermata della {linea} spostata senza avviso',
      'La fermata della {linea} in {via} è stata spostata ma non c’è nessun cartello che indichi dove.',
      [
        '{linea} stop moved without notice',
        'The {linea} stop in {via} has been moved but there is no sign saying where to.',
      ],
    ),
  ],
  'mobilita.sosta': [
    t('Parcometro guasto in {via}', 'Il parcometro in {via} non accetta monete né carte da {giorni} giorni.'),
    t(
      'Abbonamento sosta residenti',
      'Vorrei sapere come rinnovare l’abbonamento per la sosta dei residenti in zona {via}.',
    ),
  ],
  'sicurezza.veicolo-abbandonato': [
    t(
      'Auto abbandonata in {via}',
      'In {via}, davanti al civico {civico}, c’è un’auto senza targa parcheggiata da mesi, con le gomme a terra e i vetri rotti.',
    ),
    t(
      'Furgone abbandonato a {frazione}',
      'A {frazione}, in {via}, un furgone bianco è fermo da settimane e ci vengono lasciati rifiuti intorno.',
    ),
  ],
  'sicurezza.rumori': [
    t(
      'Musica ad alto volume di notte in {via}',
      'Da diverse notti in {via}, vicino al civico {civico}, c’è musica ad alto volume fino alle 3. Chiediamo un controllo.',
      [
        'Loud music at night in {via}',
        'For several nights there has been loud music until 3 a.m. in {via}, near number {civico}. We ask for a check.',
      ],
    ),
    t(
      'Rumore da laboratorio notturno in {via}',
      'Il capannone in {via} {civico} lavora anche di notte con macchinari rumorosi: non riusciamo a dormire.',
    ),
  ],
  'sicurezza.sosta-irregolare': [
    t(
      'Passo carrabile ostruito in {via} {civico}',
      'Ogni mattina un’auto parcheggia davanti al mio passo carrabile in {via} {civico} e non riesco a uscire dal garage.',
    ),
    t(
      'Auto in sosta sugli scivoli per disabili in {via}',
      'In {via} le auto parcheggiano regolarmente sugli scivoli del marciapiede: chi è in carrozzina non può passare.',
    ),
  ],
  'anagrafe.certificati': [
    t(
      'Richiesta certificato di residenza',
      'Ho bisogno di un certificato di residenza per la banca. Posso ottenerlo online o devo venire allo sportello?',
      [
        'Certificate of residence',
        'I need a certificate of residence for my bank. Can I get it online or do I have to come to the counter?',
      ],
    ),
    t(
      'Certificato di stato di famiglia',
      'Vorrei un certificato di stato di famiglia per una pratica di successione. Quali sono i tempi e i costi?',
    ),
    t(
      'Estratto di nascita per uso estero',
      'Mi serve un estratto dell’atto di nascita plurilingue da presentare in Germania.',
    ),
  ],
  'anagrafe.residenza': [
    t(
      'Cambio di residenza ancora in sospeso',
      'Ho presentato la dichiarazione di cambio di residenza in {via} {civico} {giorni} giorni fa e non ho ancora ricevuto la visita della Polizia Municipale.',
    ),
    t(
      'Come trasferire la residenza a Prato',
      'Mi trasferisco a Prato da Firenze il mese di {mese}. Quali documenti devo presentare per il cambio di residenza?',
      [
        'Moving my residence to Prato',
        'I am moving to Prato from Florence in {mese}. Which documents do I need to register my residence?',
      ],
    ),
  ],
  'anagrafe.carta-identita': [
    t(
      "Appuntamento per la carta d'identità elettronica",
      "La mia carta d'identità scade a {mese} e il primo appuntamento disponibile sul sito è tra tre mesi. È possibile avere una data prima?",
      [
        'Appointment for the electronic identity card',
        'My identity card expires in {mese} and the first appointment available online is in three months. Is an earlier date possible?',
      ],
    ),
    t(
      "Carta d'identità smarrita",
      "Ho smarrito la carta d'identità e devo partire tra {giorni} giorni. Cosa devo fare oltre alla denuncia?",
    ),
    t(
      'CIE non ancora arrivata',
      "Ho richiesto la carta d'identità elettronica più di un mese fa ma non mi è ancora stata consegnata.",
    ),
  ],
  'tributi.tari': [
    t(
      'Avviso TARI con superficie errata',
      "Nell'avviso TARI di quest'anno per l'immobile in {via} {civico} la superficie indicata è di 140 mq, ma l'appartamento è di 85 mq.",
    ),
    t(
      'Richiesta rateizzazione TARI',
      'Vorrei sapere se è possibile pagare la TARI in più rate e come fare domanda.',
    ),
    t(
      'TARI pagata due volte',
      'Ho pagato per errore due volte la rata di {mese} della TARI. Come posso chiedere il rimborso?',
      ['TARI paid twice', 'I paid the {mese} TARI instalment twice by mistake. How can I ask for a refund?'],
    ),
  ],
  'tributi.imu': [
    t(
      'Calcolo IMU per immobile in comodato',
      'Ho concesso in comodato gratuito a mio figlio l’appartamento in {via} {civico}: quale aliquota IMU devo applicare?',
    ),
    t(
      'Avviso di accertamento IMU',
      'Ho ricevuto un avviso di accertamento IMU per un anno che credo di aver pagato. Allego le ricevute.',
    ),
  ],
  'scuola.mensa': [
    t(
      'Menù della mensa per allergie',
      'Mio figlio frequenta la {scuola} ed è allergico alle arachidi. Come si richiede la dieta speciale in mensa?',
      [
        'School meals for a child with allergies',
        'My son attends the {scuola} and is allergic to peanuts. How do I ask for a special diet at the canteen?',
      ],
    ),
    t(
      'Pasti freddi alla {scuola}',
      'Diversi genitori della {scuola} segnalano che negli ultimi giorni i pasti arrivano freddi e in ritardo.',
    ),
    t(
      'Pagamento della mensa con pagoPA',
      'Non riesco a pagare la ricarica della mensa con pagoPA: il sistema dà errore.',
    ),
  ],
  'scuola.trasporto': [
    t(
      'Scuolabus non passato a {frazione}',
      'Stamattina lo scuolabus per la {scuola} non è passato alla fermata di {frazione} e i bambini sono rimasti ad aspettare.',
    ),
    t(
      'Iscrizione al trasporto scolastico',
      'Come si iscrive un bambino al trasporto scolastico per la {scuola}? Abitiamo a {frazione}.',
    ),
  ],
  'scuola.iscrizioni': [
    t(
      'Graduatoria del nido',
      'Ho fatto domanda per il {scuola} e vorrei sapere quando esce la graduatoria e in che posizione siamo.',
    ),
    t(
      "Iscrizione alla scuola dell'infanzia",
      "Ci siamo trasferiti a Prato a {mese}: è ancora possibile iscrivere nostra figlia alla scuola dell'infanzia?",
      [
        'Nursery school enrolment',
        'We moved to Prato in {mese}: is it still possible to enrol our daughter at a nursery school?',
      ],
    ),
  ],
  'sociale.anziani': [
    t(
      'Assistenza domiciliare per genitore anziano',
      'Mio padre ha 87 anni, vive solo in {via} e non è più autosufficiente. Come possiamo chiedere l’assistenza domiciliare?',
    ),
    t(
      'Pasti a domicilio',
      'Vorrei informazioni sul servizio di pasti a domicilio per mia zia, che abita a {frazione}.',
    ),
  ],
  'sociale.contributi': [
    t(
      'Contributo affitto: stato della domanda',
      'Ho presentato la domanda per il contributo affitto a {mese} e non ho più saputo nulla.',
    ),
    t(
      'Bonus sociale per le bollette',
      'Quali requisiti servono per le agevolazioni sulle bollette per famiglie con ISEE basso?',
      [
        'Help with utility bills',
        'What are the requirements for help with utility bills for low-income families?',
      ],
    ),
  ],
  'sociale.casa': [
    t(
      'Domanda di alloggio popolare',
      'Siamo una famiglia di quattro persone con uno sfratto esecutivo. Come si fa domanda per un alloggio di edilizia residenziale pubblica?',
    ),
    t(
      'Infiltrazioni in alloggio popolare di {via}',
      'Nell’alloggio ERP in {via} {civico} ci sono infiltrazioni dal tetto da {giorni} giorni.',
    ),
  ],
  'edilizia.pratiche': [
    t(
      'Stato della pratica CILA',
      'Ho presentato una CILA per lavori nell’appartamento in {via} {civico}: vorrei sapere se è stata protocollata.',
    ),
    t(
      'Accesso agli atti edilizi',
      'Chiedo come fare l’accesso agli atti per i progetti dell’immobile in {via} {civico}, necessari per una compravendita.',
    ),
  ],
  'edilizia.suap': [
    t(
      'Apertura di un nuovo negozio',
      'Vorrei aprire un negozio di abbigliamento in {via}. Quali pratiche devo presentare al SUAP?',
      [
        'Opening a new shop',
        'I would like to open a clothes shop in {via}. Which applications do I need to file with the SUAP?',
      ],
    ),
    t(
      'Dehors per bar in {via}',
      'Gestisco un bar in {via} {civico} e vorrei installare un dehors. Come si chiede l’autorizzazione?',
    ),
  ],
  'informazioni.generali': [
    t(
      "Orari dell'URP",
      "Quali sono gli orari di apertura dell'URP in Piazza del Comune nel mese di {mese}?",
      [
        'URP opening hours',
        'What are the opening hours of the public relations office in Piazza del Comune in {mese}?',
      ],
    ),
    t(
      'Informazioni su un evento in centro',
      "Vorrei sapere se domenica ci saranno strade chiuse in centro per l'evento in Piazza Mercatale.",
    ),
    t(
      'A chi rivolgersi per un problema condominiale',
      'Nel mio condominio in {via} c’è una questione con una canna fumaria: è competenza del Comune?',
    ),
    t(
      'Numero di telefono di un ufficio',
      'Mi servirebbe il numero diretto dell’ufficio che si occupa dei passi carrabili.',
    ),
  ],
  'informazioni.reclami': [
    t(
      'Reclamo per tempi di attesa allo sportello',
      'Stamattina ho aspettato più di due ore allo sportello anagrafe nonostante l’appuntamento.',
    ),
    t(
      'Segnalazione non ancora risolta',
      'Avevo segnalato {giorni} giorni fa un problema in {via} e nessuno è ancora intervenuto. Chiedo un riscontro.',
      [
        'Report still not resolved',
        'I reported a problem in {via} {giorni} days ago and nobody has dealt with it yet. I would like an answer.',
      ],
    ),
    t(
      'Suggerimento per il sito del Comune',
      'Sarebbe utile poter prenotare online anche gli appuntamenti per i servizi sociali.',
    ),
  ],
  'informazioni.servizi-online': [
    t(
      'Accesso con SPID non funziona',
      'Quando provo ad accedere ai servizi online del Comune con SPID ricevo un errore dopo l’autenticazione.',
      [
        'SPID login does not work',
        'When I try to log in to the council’s online services with SPID I get an error after authenticating.',
      ],
    ),
    t(
      'Accesso con CIE da smartphone',
      "Non riesco ad accedere con la carta d'identità elettronica dall'app sul telefono: la lettura NFC non va a buon fine.",
    ),
    t(
      'Modulo online che non si invia',
      'Il modulo online per la richiesta del contributo non si invia: il pulsante resta bloccato.',
    ),
  ],
}

/** Closing lines, appended to some descriptions. */
export const CLOSINGS_IT = [
  'Grazie per l’attenzione.',
  'Resto a disposizione per chiarimenti.',
  'Allego una foto.',
  'Chiedo di essere ricontattato.',
  'Cordiali saluti.',
  'Vi ringrazio in anticipo.',
] as const

export const CLOSINGS_EN = [
  'Thank you.',
  'Kind regards.',
  'I attach a photo.',
  'Please call me back.',
] as const

/** Where people in the demo were born, with codici catastali and how likely each is. */
export interface Origin {
  /** Codice catastale: a comune, or Z… for a foreign country. */
  place: string
  weight: number
  /** Which pool of names fits. */
  names: NamePool
  /** Share of people from here who write to the Comune in English. */
  english: number
}

export type NamePool =
  | 'italian'
  | 'chinese'
  | 'albanian'
  | 'romanian'
  | 'pakistani'
  | 'moroccan'
  | 'nigerian'
  | 'english'

export const ORIGINS: readonly Origin[] = [
  { place: 'G999', weight: 42, names: 'italian', english: 0 }, // Prato
  { place: 'D612', weight: 14, names: 'italian', english: 0 }, // Firenze
  { place: 'G713', weight: 4, names: 'italian', english: 0 }, // Pistoia
  { place: 'E715', weight: 2, names: 'italian', english: 0 }, // Lucca
  { place: 'G702', weight: 2, names: 'italian', english: 0 }, // Pisa
  { place: 'F839', weight: 4, names: 'italian', english: 0 }, // Napoli
  { place: 'G273', weight: 3, names: 'italian', english: 0 }, // Palermo
  { place: 'H501', weight: 2, names: 'italian', english: 0 }, // Roma
  { place: 'F205', weight: 1, names: 'italian', english: 0 }, // Milano
  { place: 'A944', weight: 1, names: 'italian', english: 0 }, // Bologna
  { place: 'Z210', weight: 10, names: 'chinese', english: 0.1 }, // Cina
  { place: 'Z100', weight: 3, names: 'albanian', english: 0 }, // Albania
  { place: 'Z129', weight: 3, names: 'romanian', english: 0.05 }, // Romania
  { place: 'Z236', weight: 3, names: 'pakistani', english: 0.4 }, // Pakistan
  { place: 'Z330', weight: 3, names: 'moroccan', english: 0 }, // Marocco
  { place: 'Z335', weight: 2, names: 'nigerian', english: 0.8 }, // Nigeria
  { place: 'Z114', weight: 0.6, names: 'english', english: 1 }, // Regno Unito
  { place: 'Z404', weight: 0.4, names: 'english', english: 1 }, // Stati Uniti
]

export interface Names {
  male: readonly string[]
  female: readonly string[]
  last: readonly string[]
}

export const NAMES: Readonly<Record<NamePool, Names>> = {
  italian: {
    male: [
      'Marco',
      'Luca',
      'Andrea',
      'Francesco',
      'Alessandro',
      'Matteo',
      'Lorenzo',
      'Giovanni',
      'Stefano',
      'Paolo',
      'Roberto',
      'Simone',
      'Davide',
      'Riccardo',
      'Filippo',
      'Niccolò',
      'Tommaso',
      'Gabriele',
      'Leonardo',
      'Federico',
      'Massimo',
      'Giuseppe',
      'Antonio',
      'Mario',
      'Sergio',
      'Claudio',
      'Fabio',
      'Enrico',
      'Daniele',
      'Michele',
      'Gianfranco',
      'Piero',
      'Renzo',
      'Giacomo',
      'Emanuele',
    ],
    female: [
      'Giulia',
      'Francesca',
      'Chiara',
      'Sara',
      'Martina',
      'Elena',
      'Laura',
      'Alessandra',
      'Valentina',
      'Silvia',
      'Federica',
      'Elisa',
      'Anna',
      'Maria',
      'Paola',
      'Cristina',
      'Roberta',
      'Simona',
      'Caterina',
      'Lucia',
      'Beatrice',
      'Sofia',
      'Aurora',
      'Giorgia',
      'Irene',
      'Marta',
      'Barbara',
      'Monica',
      'Daniela',
      'Gabriella',
      'Rossella',
      'Ilaria',
      'Benedetta',
      'Costanza',
      'Teresa',
    ],
    last: [
      'Rossi',
      'Bardazzi',
      'Bettazzi',
      'Mazzoni',
      'Gori',
      'Cecchi',
      'Nesti',
      'Calamai',
      'Vannucchi',
      'Bini',
      'Paoletti',
      'Santini',
      'Querci',
      'Fantechi',
      'Lucchesi',
      'Biagini',
      'Ciardi',
      'Martini',
      'Bartolini',
      'Baldi',
      'Bellandi',
      'Becagli',
      'Giusti',
      'Magni',
      'Pacini',
      'Rindi',
      'Lombardi',
      'Innocenti',
      'Pieralli',
      'Mannucci',
      'Guarducci',
      'Risaliti',
      'Giovannini',
      'Banci',
      'Cantini',
      'Fioravanti',
      'Tempestini',
      'Sanesi',
      'Vestri',
      'Marchi',
      'Romei',
      'Ricci',
      'Bruni',
      'Conti',
      'Ferri',
      'Galli',
      'Moretti',
      'Esposito',
      'Russo',
      'Romano',
      'Greco',
      "D'Angelo",
      'De Luca',
      'La Rosa',
    ],
  },
  chinese: {
    male: ['Wei', 'Jian', 'Hao', 'Ming', 'Jun', 'Lei', 'Qiang', 'Tao'],
    female: ['Li', 'Mei', 'Xiaoli', 'Yan', 'Jing', 'Ying', 'Hui', 'Lin'],
    last: ['Hu', 'Chen', 'Wang', 'Zhou', 'Lin', 'Zhang', 'Xu', 'Ye', 'Huang', 'Wu', 'Jin', 'Zheng'],
  },
  albanian: {
    male: ['Arben', 'Ermal', 'Besnik', 'Gentian', 'Ilir', 'Dritan'],
    female: ['Elira', 'Anila', 'Blerta', 'Mirela', 'Klodiana', 'Entela'],
    last: ['Hoxha', 'Shehu', 'Gjoka', 'Kola', 'Leka', 'Dervishi', 'Basha'],
  },
  romanian: {
    male: ['Andrei', 'Ionut', 'Mihai', 'Florin', 'Cristian'],
    female: ['Ioana', 'Elena', 'Andreea', 'Mihaela', 'Gabriela'],
    last: ['Popescu', 'Ionescu', 'Munteanu', 'Stan', 'Dumitru', 'Constantin'],
  },
  pakistani: {
    male: ['Imran', 'Bilal', 'Usman', 'Asif', 'Tariq'],
    female: ['Ayesha', 'Sana', 'Fatima', 'Nadia', 'Amna'],
    last: ['Khan', 'Ahmed', 'Hussain', 'Ali', 'Iqbal', 'Malik'],
  },
  moroccan: {
    male: ['Youssef', 'Mohamed', 'Karim', 'Rachid', 'Hamza'],
    female: ['Khadija', 'Salma', 'Fatima', 'Naima', 'Samira'],
    last: ['El Amrani', 'Benali', 'Bouzid', 'El Idrissi', 'Haddad', 'Tahiri'],
  },
  nigerian: {
    male: ['Chinedu', 'Emeka', 'Oluwaseun', 'Ikenna', 'Tunde'],
    female: ['Ngozi', 'Blessing', 'Chiamaka', 'Funmilayo', 'Adaeze'],
    last: ['Okafor', 'Adeyemi', 'Eze', 'Okonkwo', 'Balogun', 'Nwosu'],
  },
  english: {
    male: ['James', 'Thomas', 'Oliver', 'Daniel', 'Michael'],
    female: ['Emily', 'Sarah', 'Charlotte', 'Hannah', 'Rebecca'],
    last: ['Smith', 'Johnson', 'Brown', 'Taylor', 'Wilson', 'Walker'],
  },
}

/** Businesses that write to the Comune: textile firms, shops, building firms, co-operatives. */
export const ORGANISATION_KINDS = [
  'Lanificio',
  'Tessitura',
  'Filatura',
  'Rifinizioni',
  'Pronto Moda',
  'Tintoria',
  'Studio Tecnico',
  'Impresa Edile',
  'Cooperativa Sociale',
  'Bar',
  'Ristorante',
  'Farmacia',
  'Amministrazioni Condominiali',
] as const

export const ORGANISATION_NAMES = [
  'Bisenzio',
  'Santa Lucia',
  'La Querce',
  'Mercatale',
  'Galceti',
  'Calvana',
  'Pratese',
  'del Cassero',
  'Monteferrato',
  'Datini',
  'Magnolfi',
  'Le Badie',
  'Il Macrolotto',
  'San Fabiano',
] as const

export const LEGAL_FORMS = ['S.r.l.', 'S.p.A.', 'S.n.c.', 'S.a.s.'] as const

/** Ordinary (non-PEC) mailbox domains; all reserved, none deliverable. */
export const EMAIL_DOMAINS = [
  'example.com',
  'example.net',
  'example.org',
  'posta.example',
  'mail.example',
] as const

/** Prefixes of Italian mobile numbers (TIM, Vodafone, WindTre, Iliad, …). */
export const MOBILE_PREFIXES = [
  '320',
  '328',
  '329',
  '330',
  '333',
  '334',
  '335',
  '338',
  '339',
  '340',
  '342',
  '345',
  '347',
  '348',
  '349',
  '351',
  '366',
  '370',
  '375',
  '380',
  '388',
  '389',
  '392',
  '393',
] as const

/** Tags people and offices put on cases; each leaf category may add its own. */
export const TAGS_BY_CATEGORY: Readonly<Record<string, readonly string[]>> = {
  'strade.buche': ['rischio-sicurezza', 'pista-ciclabile'],
  'strade.marciapiede': ['barriere-architettoniche'],
  'rifiuti.abbandono': ['alia', 'scarti-tessili'],
  'rifiuti.cassonetto-pieno': ['alia'],
  'rifiuti.raccolta-mancata': ['alia'],
  'verde.alberi-pericolanti': ['rischio-sicurezza'],
  'mobilita.trasporto-pubblico': ['autolinee-toscane'],
  'sicurezza.sosta-irregolare': ['barriere-architettoniche'],
  'scuola.mensa': ['allergie'],
}
