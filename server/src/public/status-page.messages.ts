import { defineMessages } from '@filo/core'

defineMessages({
  it: {
    'status_page.title': 'Stato della richiesta {number}',
    'status_page.heading': 'La tua richiesta',
    'status_page.site': 'Comune di Prato — Filo diretto con il cittadino',
    'status_page.number': 'Numero',
    'status_page.subject': 'Oggetto',
    'status_page.category': 'Categoria',
    'status_page.status': 'Stato',
    'status_page.created': 'Ricevuta il',
    'status_page.updated': 'Ultimo aggiornamento',
    'status_page.resolved': 'Risolta il',
    'status_page.closed': 'Chiusa il',
    'status_page.answer': 'Risposta del Comune',
    'status_page.history': 'Cronologia',
    'status_page.other_language': 'English',
    'status_page.not_found_title': 'Richiesta non trovata',
    'status_page.not_found':
      'Il collegamento non corrisponde a nessuna richiesta. Controlla di averlo copiato per intero dal messaggio ricevuto.',
    'status_page.rate_limited_title': 'Troppe richieste',
    'status_page.rate_limited': 'Hai aperto questa pagina troppe volte in poco tempo. Riprova tra un minuto.',
    'status_page.privacy': 'Questa pagina mostra solo lo stato della richiesta: non contiene dati personali.',
  },
  en: {
    'status_page.title': 'Status of request {number}',
    'status_page.heading': 'Your request',
    'status_page.site': 'Comune di Prato — Filo diretto con il cittadino',
    'status_page.number': 'Number',
    'status_page.subject': 'Subject',
    'status_page.category': 'Category',
    'status_page.status': 'Status',
    'status_page.created': 'Received on',
    'status_page.updated': 'Last update',
    'status_page.resolved': 'Resolved on',
    'status_page.closed': 'Closed on',
    'status_page.answer': "The Comune's answer",
    'status_page.history': 'History',
    'status_page.other_language': 'Italiano',
    'status_page.not_found_title': 'Request not found',
    'status_page.not_found':
      'The link does not match any request. Check that you copied all of it from the message you received.',
    'status_page.rate_limited_title': 'Too many requests',
    'status_page.rate_limited':
      'You opened this page too many times in a short while. Try again in a minute.',
    'status_page.privacy': 'This page shows only the status of the request: it holds no personal data.',
  },
})
