import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

/** Every string of the portal, in English and French (same keys; a test checks both sets match). */
export const resources = {
  en: {
    translation: {
      skip: 'Skip to main content',
      service: 'Book a COVID-19 vaccination',
      switchTo: 'Français', switchLang: 'fr',
      back: 'Back', continue: 'Continue', start: 'Start again', print: 'Print this page',
      errorSummary: 'There is a problem',
      busy: 'The service is busy. Trying again in {{seconds}} s…',
      failed: 'Something went wrong. Please try again.',
      elig: {
        title: 'Can you book now?',
        dob: 'Date of birth', dobHint: 'For example, 27 3 1950. Booking for your children? Enter the first child’s date of birth, then add the others.',
        day: 'Day', month: 'Month', year: 'Year',
        region: 'Where do you live?', regionHint: 'Your postal code or town, for example L4M 3X9 or Barrie. Your public-health unit decides when you can book.',
        regionList: 'Choose your public-health unit from a list instead', regionSelect: 'Public-health unit', chooseRegion: 'Choose your region',
        groups: 'Do any of these apply to you?', groupsHint: 'Select all that apply.',
        invitation: 'Invitation code (if you received a letter)', invitationHint: 'For example, K7QX-M3PA-R2',
        dobMissing: 'Enter your date of birth as day, month and year', regionMissing: 'Enter your postal code or town, or choose your public-health unit',
        otherDob: 'Date of birth of person {{n}}', addPerson: 'Add another person (a child or someone you care for)', remove: 'Remove person {{n}}',
      },
      groups: {
        health_care_worker: 'I work in health care', essential_caregiver: 'I am an essential caregiver', firefighter: 'I am a firefighter',
        educator: 'I work in education', high_risk_condition: 'I have a high-risk health condition', congregate_setting: 'I live in a congregate setting',
      },
      notYet: {
        title: 'You cannot book yet', when: 'You can book from {{date}}.', why: 'Why', remind: 'Add a reminder to your calendar',
        remindTitle: 'Book my COVID-19 vaccination', told: 'Add a reminder to your calendar, or come back to this page on that day.',
      },
      search: {
        title: 'Find a vaccination clinic', place: 'Town or postal code', placeHint: 'For example, Barrie or L4M 3X9',
        radius: 'Distance', within: 'Within {{km}} km', find: 'Search', results: 'Clinics near {{place}}', none: 'No appointments found',
        nearest: 'Nearest availability: {{clinic}}, {{km}} km, {{date}}', km: '{{km}} km away', free: '{{count}} free',
        mapLabel: 'Map of the clinics listed', more: 'Show more clinics', moreDays: 'More days ({{count}})', chooseDay: 'Choose a day for your first dose', together: 'Only days with a vaccine for everyone you are booking for are shown.',
        separately: 'Book for the first person now, then for the others', separatelyHint: 'After this booking you go straight on to book for the {{count}} other people, with the details you typed kept.',
      },
      filters: {
        title: 'More choices: dates, kind of clinic, language, accessibility', from: 'From (date)', kind: 'Kind of clinic', language: 'Language spoken', any: 'Any',
        access: 'Accessibility', kinds: { mass_site: 'Vaccination centre', pharmacy: 'Pharmacy', hospital: 'Hospital', primary_care: 'Family doctor’s clinic', mobile: 'Mobile clinic' },
        features: { wheelchair: 'Wheelchair access', accessible_parking: 'Accessible parking', hearing_loop: 'Hearing loop', quiet_room: 'Quiet room', sign_language: 'Sign language' },
      },
      dose1: { missing: 'Choose a time for the first dose', title: 'Choose a time for your first dose', at: 'At {{clinic}}, {{day}}', tz: 'Times are in the clinic’s time zone ({{tz}}).' },
      dose2: { missing: 'Choose a time for the second dose', otherDay: 'Choose another day', title: 'Choose a time for your second dose', suggested: 'Suggested: {{day}} at {{clinic}}, {{weeks}} weeks after your first dose.', window: 'You can have it between {{from}} and {{to}}.', windowOpen: 'You can have it from {{from}}.' },
      hold: { left: 'These times are kept for you for {{time}}.', expired: 'The times we kept for you were released. What you typed is kept: please choose again.' },
      details: {
        title: 'Your details', person: 'Person {{n}}', identifier: 'Health card number', identifierHint: '10 digits, and the version code if your card has one',
        given: 'First name', family: 'Last name', language: 'Language for messages', email: 'Email address', mobile: 'Mobile phone number',
        contactHint: 'Give an email address or a mobile number so we can send you your confirmation.',
        consent: 'I agree that my details are used to book and manage my vaccination.', consentMissing: 'Tick the box to agree',
        contactMissing: 'Enter an email address, a mobile phone number or a postal address',
        noEmail: 'No email or mobile? Get your confirmation by mail', addressLine: 'Street address', city: 'Town or city', postalCode: 'Postal code',
        book: 'Confirm and book',
      },
      taken: { title: 'That time has just been taken', alternatives: 'Other free times at this clinic:' },
      confirm: {
        title: 'Booking confirmed', code: 'Your confirmation code', keep: 'Keep this code: with your date of birth, it lets you view, change or cancel your booking.',
        dose: 'Dose {{dose}}', when: '{{date}} at {{time}} ({{tz}})', where: 'Where', product: 'Vaccine', map: 'Open the map',
        ics: 'Add both appointments to your calendar', others: 'Now book for the other people ({{count}})', bring: 'What to bring', bringList: 'Your health card (or another identity document), this confirmation code, and a mask.',
      },
      status: {
        link: 'Service status', title: 'Service status',
        overall: { operational: 'Everything is working normally.', delayed: 'Some messages are late. Booking works.', disrupted: 'Part of the service is disrupted. Details below.', unknown: 'We cannot tell right now how part of the service is doing.' },
        component: { booking: 'Booking, changing and cancelling appointments', email: 'E-mail confirmations and reminders', sms: 'Text messages (SMS)', letter: 'Printed letters' },
        state: { operational: 'Working', delayed: 'Delayed', disrupted: 'Disrupted', unknown: 'Unknown' },
        late_one: 'The oldest message is {{count}} minute late.', late_other: 'The oldest message is {{count}} minutes late.',
        onTime: 'Messages are going out on time.',
        waiting_one: '{{count}} message waiting.', waiting_other: '{{count}} messages waiting.',
        checkedAt: 'Checked {{at}}. This page refreshes every minute.',
        meaning: 'Text messages are not sent between 9 pm and 8 am; they go out in the morning. Letters are printed once a day. Your booking is valid even if its confirmation is late: you can always view it with your confirmation code.',
        unreachable: 'The service status cannot be loaded right now. Please try again in a few minutes.',
      },
      manage: {
        link: 'View, change or cancel a booking', title: 'Manage your booking', code: 'Confirmation code', find: 'Find my booking',
        notFound: 'No booking matches this code and date of birth. Check both and try again.',
        change: 'Change dose {{dose}}', changeFor: 'Change dose {{dose}} for {{name}}', newTime: 'A new time for dose {{dose}}', newTimeFor: 'A new time for dose {{dose}} for {{name}}', cancel: 'Cancel dose {{dose}}', cancelFrom: 'Cancel dose {{dose}} and the doses after it', cancelFor: 'Cancel dose {{dose}} for {{name}}', cancelFromFor: 'Cancel dose {{dose}} and the doses after it for {{name}}', cancelAll: 'Cancel all appointments', confirmQuestion: '{{what}}?', confirmText: 'The place goes to someone else at once: this cannot be undone. To be vaccinated later, you will need to book again.', confirmYes: 'Yes, cancel', confirmNo: 'No, go back', updated: 'Your booking has been updated.', cancelled: 'Cancelled', status: { booked: 'Booked', cancelled: 'Cancelled', checked_in: 'Checked in', completed: 'Given', no_show: 'Missed' },
      },
    },
  },
  fr: {
    translation: {
      skip: 'Aller au contenu principal',
      service: 'Prendre rendez-vous pour la vaccination contre la COVID-19',
      switchTo: 'English', switchLang: 'en',
      back: 'Retour', continue: 'Continuer', start: 'Recommencer', print: 'Imprimer cette page',
      errorSummary: 'Il y a un problème',
      busy: 'Le service est très sollicité. Nouvel essai dans {{seconds}} s…',
      failed: 'Un problème est survenu. Veuillez réessayer.',
      elig: {
        title: 'Pouvez-vous prendre rendez-vous maintenant?',
        dob: 'Date de naissance', dobHint: 'Par exemple, 27 3 1950. Vous réservez pour vos enfants? Indiquez la date de naissance du premier enfant, puis ajoutez les autres.',
        day: 'Jour', month: 'Mois', year: 'Année',
        region: 'Où habitez-vous?', regionHint: 'Votre code postal ou votre ville, par exemple L4M 3X9 ou Barrie. Votre bureau de santé publique détermine quand vous pouvez réserver.',
        regionList: 'Choisir plutôt votre bureau de santé publique dans une liste', regionSelect: 'Bureau de santé publique', chooseRegion: 'Choisissez votre région',
        groups: 'L’une de ces situations s’applique-t-elle à vous?', groupsHint: 'Cochez toutes les réponses qui s’appliquent.',
        invitation: 'Code d’invitation (si vous avez reçu une lettre)', invitationHint: 'Par exemple, K7QX-M3PA-R2',
        dobMissing: 'Indiquez votre date de naissance : jour, mois et année', regionMissing: 'Indiquez votre code postal ou votre ville, ou choisissez votre bureau de santé publique',
        otherDob: 'Date de naissance de la personne {{n}}', addPerson: 'Ajouter une autre personne (un enfant ou une personne à votre charge)', remove: 'Retirer la personne {{n}}',
      },
      groups: {
        health_care_worker: 'Je travaille dans le secteur de la santé', essential_caregiver: 'Je suis un proche aidant essentiel', firefighter: 'Je suis pompier',
        educator: 'Je travaille en éducation', high_risk_condition: 'J’ai un problème de santé à risque élevé', congregate_setting: 'Je vis dans un milieu collectif',
      },
      notYet: {
        title: 'Vous ne pouvez pas encore réserver', when: 'Vous pourrez réserver à partir du {{date}}.', why: 'Pourquoi', remind: 'Ajouter un rappel à votre calendrier',
        remindTitle: 'Réserver ma vaccination contre la COVID-19', told: 'Ajoutez un rappel à votre calendrier ou revenez sur cette page ce jour-là.',
      },
      search: {
        title: 'Trouver une clinique de vaccination', place: 'Ville ou code postal', placeHint: 'Par exemple, Barrie ou L4M 3X9',
        radius: 'Distance', within: 'À moins de {{km}} km', find: 'Rechercher', results: 'Cliniques près de {{place}}', none: 'Aucun rendez-vous trouvé',
        nearest: 'Disponibilité la plus proche : {{clinic}}, {{km}} km, {{date}}', km: 'à {{km}} km', free: '{{count}} places',
        mapLabel: 'Carte des cliniques de la liste', more: 'Afficher d’autres cliniques', moreDays: 'Plus de jours ({{count}})', chooseDay: 'Choisissez un jour pour votre première dose', together: 'Seuls les jours offrant un vaccin pour toutes les personnes de la réservation sont affichés.',
        separately: 'Réserver d’abord pour la première personne, puis pour les autres', separatelyHint: 'Après cette réservation, vous passez directement à la réservation pour les {{count}} autres personnes; vos coordonnées sont conservées.',
      },
      filters: {
        title: 'Plus de choix : dates, type de clinique, langue, accessibilité', from: 'À partir du (date)', kind: 'Type de clinique', language: 'Langue parlée', any: 'Tous',
        access: 'Accessibilité', kinds: { mass_site: 'Centre de vaccination', pharmacy: 'Pharmacie', hospital: 'Hôpital', primary_care: 'Clinique de médecine familiale', mobile: 'Clinique mobile' },
        features: { wheelchair: 'Accès en fauteuil roulant', accessible_parking: 'Stationnement accessible', hearing_loop: 'Boucle magnétique', quiet_room: 'Salle calme', sign_language: 'Langue des signes' },
      },
      dose1: { missing: 'Choisissez une heure pour la première dose', title: 'Choisissez l’heure de votre première dose', at: 'À {{clinic}}, le {{day}}', tz: 'Les heures sont celles du fuseau horaire de la clinique ({{tz}}).' },
      dose2: { missing: 'Choisissez une heure pour la deuxième dose', otherDay: 'Choisir un autre jour', title: 'Choisissez l’heure de votre deuxième dose', suggested: 'Proposé : le {{day}} à {{clinic}}, {{weeks}} semaines après votre première dose.', window: 'Vous pouvez la recevoir entre le {{from}} et le {{to}}.', windowOpen: 'Vous pouvez la recevoir à partir du {{from}}.' },
      hold: { left: 'Ces créneaux vous sont réservés pendant {{time}}.', expired: 'Les créneaux réservés pour vous ont été libérés. Vos informations sont conservées : veuillez choisir de nouveau.' },
      details: {
        title: 'Vos renseignements', person: 'Personne {{n}}', identifier: 'Numéro de carte Santé', identifierHint: '10 chiffres, et le code de version si votre carte en a un',
        given: 'Prénom', family: 'Nom de famille', language: 'Langue des messages', email: 'Adresse courriel', mobile: 'Numéro de cellulaire',
        contactHint: 'Indiquez une adresse courriel ou un numéro de cellulaire pour recevoir votre confirmation.',
        consent: 'J’accepte que mes renseignements servent à réserver et à gérer ma vaccination.', consentMissing: 'Cochez la case pour accepter',
        contactMissing: 'Indiquez une adresse courriel, un numéro de cellulaire ou une adresse postale',
        noEmail: 'Pas de courriel ni de cellulaire? Recevez votre confirmation par la poste', addressLine: 'Adresse', city: 'Ville', postalCode: 'Code postal',
        book: 'Confirmer et réserver',
      },
      taken: { title: 'Ce créneau vient d’être pris', alternatives: 'Autres créneaux libres dans cette clinique :' },
      confirm: {
        title: 'Rendez-vous confirmé', code: 'Votre code de confirmation', keep: 'Conservez ce code : avec votre date de naissance, il permet de consulter, modifier ou annuler votre réservation.',
        dose: 'Dose {{dose}}', when: '{{date}} à {{time}} ({{tz}})', where: 'Lieu', product: 'Vaccin', map: 'Ouvrir la carte',
        ics: 'Ajouter les deux rendez-vous à votre calendrier', others: 'Réserver maintenant pour les autres personnes ({{count}})', bring: 'À apporter', bringList: 'Votre carte Santé (ou une autre pièce d’identité), ce code de confirmation et un masque.',
      },
      status: {
        link: 'État du service', title: 'État du service',
        overall: { operational: 'Tout fonctionne normalement.', delayed: 'Certains messages sont en retard. La réservation fonctionne.', disrupted: 'Une partie du service est perturbée. Détails ci-dessous.', unknown: "Nous ne pouvons pas dire pour l'instant comment fonctionne une partie du service." },
        component: { booking: 'Réserver, modifier et annuler des rendez-vous', email: 'Confirmations et rappels par courriel', sms: 'Messages texte (SMS)', letter: 'Lettres imprimées' },
        state: { operational: 'Fonctionne', delayed: 'En retard', disrupted: 'Perturbé', unknown: 'Inconnu' },
        late_one: 'Le plus ancien message a {{count}} minute de retard.', late_other: 'Le plus ancien message a {{count}} minutes de retard.',
        onTime: "Les messages partent à l'heure.",
        waiting_one: '{{count}} message en attente.', waiting_other: '{{count}} messages en attente.',
        checkedAt: 'Vérifié le {{at}}. Cette page se met à jour chaque minute.',
        meaning: "Aucun SMS n'est envoyé entre 21 h et 8 h : ils partent le matin. Les lettres sont imprimées une fois par jour. Votre réservation est valable même si sa confirmation est en retard : vous pouvez toujours la consulter avec votre code de confirmation.",
        unreachable: "L'état du service ne peut pas être chargé pour l'instant. Réessayez dans quelques minutes.",
      },
      manage: {
        link: 'Consulter, modifier ou annuler une réservation', title: 'Gérer votre réservation', code: 'Code de confirmation', find: 'Trouver ma réservation',
        notFound: 'Aucune réservation ne correspond à ce code et à cette date de naissance. Vérifiez-les et réessayez.',
        change: 'Modifier la dose {{dose}}', changeFor: 'Modifier la dose {{dose}} {{name, de}}', newTime: 'Une nouvelle heure pour la dose {{dose}}', newTimeFor: 'Une nouvelle heure pour la dose {{dose}} {{name, de}}', cancel: 'Annuler la dose {{dose}}', cancelFrom: 'Annuler la dose {{dose}} et les doses suivantes', cancelFor: 'Annuler la dose {{dose}} {{name, de}}', cancelFromFor: 'Annuler la dose {{dose}} et les doses suivantes {{name, de}}', cancelAll: 'Annuler tous les rendez-vous', confirmQuestion: '{{what}}\u202f?', confirmText: 'La place est aussitôt proposée à quelqu’un d’autre : l’annulation est définitive. Pour être vacciné plus tard, il faudra réserver de nouveau.', confirmYes: 'Oui, annuler', confirmNo: 'Non, revenir', updated: 'Votre réservation a été mise à jour.', cancelled: 'Annulé', status: { booked: 'Réservé', cancelled: 'Annulé', checked_in: 'Arrivé', completed: 'Administré', no_show: 'Absent' },
      },
    },
  },
} as const;

export type Lang = keyof typeof resources;

void i18n.use(initReactI18next).init({
  resources, lng: document.documentElement.lang === 'fr' ? 'fr' : (localStorage.getItem('vb-lang') ?? (navigator.language.startsWith('fr') ? 'fr' : 'en')),
  fallbackLng: 'en', interpolation: { escapeValue: false },
});
// French "de" before a name elides before a vowel sound: "de Noé", "d’Alice", "d’Émile", "d’Hélène", "d’Yves", but
// "de Yannick" (y before a vowel is a consonant).
i18n.services.formatter?.add('de', (name: string) => (/^(h|y(?![aeiouàâéèêëîïôöùûü])|[aeiouàâäéèêëîïôöùûüæœ])/i.test(name) ? `d’${name}` : `de ${name}`));

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  localStorage.setItem('vb-lang', lng);
});

export default i18n;
