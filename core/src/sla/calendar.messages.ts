import { defineMessages } from '../i18n.ts'

// Administrators edit calendars in the console, so every problem is a sentence they can act on.
defineMessages({
  it: {
    sla_calendar_shape: 'Calendario non valido in {path}: {detail}.',
    sla_calendar_time_zone_invalid: 'Il fuso orario «{timeZone}» non esiste (es. Europe/Rome).',
    sla_calendar_time_invalid: 'L’orario «{value}» di {day} non è valido: usa HH:MM tra 00:00 e 24:00.',
    sla_calendar_interval_inverted: 'L’intervallo {from}–{to} di {day} deve finire dopo l’inizio.',
    sla_calendar_interval_overlap: 'Gli intervalli {first} e {second} di {day} si sovrappongono.',
    sla_calendar_date_invalid:
      'La data di chiusura «{value}» non esiste: usa MM-GG per ogni anno o AAAA-MM-GG per una volta sola.',
    sla_calendar_never_open: 'Il calendario non ha orari di apertura: nessuna scadenza arriverebbe mai.',
    sla_weekday_mon: 'lunedì',
    sla_weekday_tue: 'martedì',
    sla_weekday_wed: 'mercoledì',
    sla_weekday_thu: 'giovedì',
    sla_weekday_fri: 'venerdì',
    sla_weekday_sat: 'sabato',
    sla_weekday_sun: 'domenica',
  },
  en: {
    sla_calendar_shape: 'Invalid calendar at {path}: {detail}.',
    sla_calendar_time_zone_invalid: 'The time zone "{timeZone}" does not exist (e.g. Europe/Rome).',
    sla_calendar_time_invalid: 'The time "{value}" on {day} is not valid: use HH:MM between 00:00 and 24:00.',
    sla_calendar_interval_inverted: 'The interval {from}–{to} on {day} must end after it starts.',
    sla_calendar_interval_overlap: 'The intervals {first} and {second} on {day} overlap.',
    sla_calendar_date_invalid:
      'The closure date "{value}" does not exist: use MM-DD for every year or YYYY-MM-DD for once.',
    sla_calendar_never_open: 'The calendar has no opening hours: no deadline would ever arrive.',
    sla_weekday_mon: 'Monday',
    sla_weekday_tue: 'Tuesday',
    sla_weekday_wed: 'Wednesday',
    sla_weekday_thu: 'Thursday',
    sla_weekday_fri: 'Friday',
    sla_weekday_sat: 'Saturday',
    sla_weekday_sun: 'Sunday',
  },
})
