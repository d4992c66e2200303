import { defineMessages } from '../i18n.ts'

defineMessages({
  it: {
    case_not_found: 'La segnalazione {id} non esiste o non è visibile per te.',
    coordinates_pair: 'Latitudine e longitudine vanno indicate insieme.',
    subject_blank: "L'oggetto della segnalazione non può essere vuoto.",
  },
  en: {
    case_not_found: 'Case {id} does not exist or is not visible to you.',
    coordinates_pair: 'Latitude and longitude go together.',
    subject_blank: 'The subject of the case cannot be blank.',
  },
})
