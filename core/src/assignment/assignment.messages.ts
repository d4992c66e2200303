import { defineMessages } from '../i18n.ts'

// The explanation of an automatic assignment, written on the case's timeline.
defineMessages({
  it: {
    'presence.available': 'disponibile',
    'presence.busy': 'occupato',
    'presence.away': 'assente',
    'presence.offline': 'non collegato',
    assign_manual: 'La coda si assegna a mano: il caso resta in coda finché qualcuno non lo prende.',
    assign_no_members: 'La coda non ha membri: il caso resta in coda.',
    assign_excluded_inactive: '{user} escluso: utente disattivato.',
    assign_excluded_presence: '{user} escluso: {state}.',
    assign_excluded_full: '{user} escluso: ha già {load} casi su una capacità di {capacity}.',
    assign_excluded_skills: '{user} escluso: mancano le competenze {missing}.',
    assign_none_eligible:
      'Nessun membro della coda è disponibile e sotto la propria capacità: il caso resta in coda.',
    assign_none_skilled:
      'Nessun membro disponibile ha tutte le competenze richieste ({skills}): il caso resta in coda.',
    assign_chosen_round_robin:
      'Assegnato a {user} a rotazione: la sua ultima assegnazione da questa coda è la meno recente ({last}).',
    assign_chosen_round_robin_first:
      'Assegnato a {user} a rotazione: non aveva ancora ricevuto casi da questa coda.',
    assign_chosen_least_loaded:
      'Assegnato a {user}, il meno carico rispetto alla capacità ({load} casi su {capacity}).',
    assign_chosen_skill:
      'Assegnato a {user}: ha le competenze richieste ({skills}) ed è il meno carico tra chi le ha ({load} casi su {capacity}).',
    assign_chosen_skill_none_required:
      'Assegnato a {user}: la categoria non richiede competenze, scelto il meno carico ({load} casi su {capacity}).',
  },
  en: {
    'presence.available': 'available',
    'presence.busy': 'busy',
    'presence.away': 'away',
    'presence.offline': 'offline',
    assign_manual: 'The queue is assigned by hand: the case waits in the queue until someone takes it.',
    assign_no_members: 'The queue has no members: the case waits in the queue.',
    assign_excluded_inactive: '{user} left out: the account is deactivated.',
    assign_excluded_presence: '{user} left out: {state}.',
    assign_excluded_full: '{user} left out: already has {load} cases for a capacity of {capacity}.',
    assign_excluded_skills: '{user} left out: lacks the skills {missing}.',
    assign_none_eligible:
      'No member of the queue is available and under their capacity: the case waits in the queue.',
    assign_none_skilled:
      'No available member has every required skill ({skills}): the case waits in the queue.',
    assign_chosen_round_robin:
      'Assigned to {user} in turn: their last assignment from this queue is the oldest ({last}).',
    assign_chosen_round_robin_first:
      'Assigned to {user} in turn: they had not yet received a case from this queue.',
    assign_chosen_least_loaded:
      'Assigned to {user}, the least loaded for their capacity ({load} cases of {capacity}).',
    assign_chosen_skill:
      'Assigned to {user}: they have the required skills ({skills}) and are the least loaded of those who do ({load} cases of {capacity}).',
    assign_chosen_skill_none_required:
      'Assigned to {user}: the category requires no skills, so the least loaded was chosen ({load} cases of {capacity}).',
  },
})
