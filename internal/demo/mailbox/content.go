package mailbox

// The people and conversations the demo mailbox is made of. Text is plain
// and realistic on purpose: the demo shows how Deskport handles real mail
// (umlauts, quoting, long threads), not lorem ipsum.

type person struct{ Name, Addr string }

var people = []person{
	{"Jonas Becker", "jonas.becker@demo.example"},
	{"Amira Yilmaz", "amira.yilmaz@demo.example"},
	{"Lukas Wagner", "lukas.wagner@stadtwerke.example"},
	{"Sophie Müller", "sophie.mueller@demo.example"},
	{"Henrik Jørgensen", "henrik@nordlicht.example"},
	{"Claire Dubois", "claire.dubois@partner.example"},
	{"Priya Natarajan", "priya@opencode.example"},
	{"Thomas Krüger", "t.krueger@rathaus.example"},
	{"Grace O'Neill", "grace.oneill@partner.example"},
	{"Mehmet Özdemir", "mehmet.oezdemir@demo.example"},
}

// A topic is one conversation: its subject and the texts of its messages in
// order; the first message comes from the correspondent, then the user and
// the correspondent take turns.
type topic struct {
	Subject    string
	Lang       string // "de" or "en"
	Folder     string // where the correspondent's messages live
	Attachment string // file name attached to the first message, if any
	Texts      []string
}

var topics = []topic{
	{"Protokoll der Teamrunde", "de", "INBOX", "Protokoll_Teamrunde.pdf", []string{
		"Hallo Eva,\n\nanbei das Protokoll der heutigen Teamrunde. Die wichtigsten Punkte:\n\n- Der Umzug der Fileserver ist für die KW 12 geplant.\n- Die Schulung zu Deskport findet am Donnerstag statt.\n- Bitte tragt eure Urlaube bis Monatsende in den Kalender ein.\n\nViele Grüße\n",
		"Hallo,\n\ndanke für das Protokoll! Zur Schulung: Können wir sie auf 14 Uhr legen? Vormittags bin ich im Rathaus.\n\nGruß\nEva\n",
		"Klar, 14 Uhr passt. Ich ändere den Termin.\n\nBis Donnerstag!\n",
	}},
	{"Angebot Glasfaseranschluss Außenstelle", "de", "Projekte/Rathaus-Portal", "Angebot_2026-117.pdf", []string{
		"Sehr geehrte Frau Schmidt,\n\nwie besprochen erhalten Sie unser Angebot für den Glasfaseranschluss der Außenstelle in der Mühlenstraße. Die Bauzeit beträgt etwa drei Wochen.\n\nMit freundlichen Grüßen\n",
		"Sehr geehrter Herr Wagner,\n\nvielen Dank für das Angebot. Ist die Tiefbauarbeit im Preis enthalten, oder kommt sie gesondert hinzu?\n\nMit freundlichen Grüßen\nEva Schmidt\n",
		"Sehr geehrte Frau Schmidt,\n\nder Tiefbau bis zur Grundstücksgrenze ist enthalten; auf dem Grundstück berechnen wir nach Aufwand (ca. 85 € je Meter).\n\nMit freundlichen Grüßen\n",
		"Danke, das hilft. Ich gebe das Angebot in die Abstimmung und melde mich bis Freitag.\n\nEva Schmidt\n",
	}},
	{"Fotos von der Baustelle", "de", "INBOX", "Baustelle_Ostseite.png", []string{
		"Hi Eva,\n\nhier die Fotos von heute Morgen. Die Ostseite ist fast fertig, das Gerüst kommt nächste Woche weg.\n\nLG\n",
		"Super, danke! Sieht gut aus. Kannst du nächste Woche noch ein Foto von der Westseite schicken?\n\nEva\n",
	}},
	{"Quarterly report draft", "en", "INBOX", "Q3_report_draft.pdf", []string{
		"Hi Eva,\n\nplease find attached the first draft of the quarterly report. Sections 2 and 4 still need numbers from finance. Could you have a look at the summary?\n\nThanks,\n",
		"Hi,\n\nthe summary reads well. Two small things: the chart on page 3 needs a legend, and I'd move the outlook before the risks.\n\nBest,\nEva\n",
		"Good points, done. I'll send the final version on Monday.\n\nCheers,\n",
		"Perfect, thank you!\n\nEva\n",
	}},
	{"Workshop in Copenhagen – travel details", "en", "INBOX", "", []string{
		"Dear Eva,\n\nwe're looking forward to seeing you at the open source workshop on the 14th. The venue is a ten-minute walk from the central station. Lunch is provided; please tell us about any dietary needs.\n\nBest regards,\n",
		"Dear Henrik,\n\nthank you! I'll arrive the evening before. Vegetarian lunch would be great.\n\nKind regards,\nEva\n",
		"Noted. See you soon!\n\nHenrik\n",
	}},
	{"Partnership agreement – final version", "en", "Archive", "Partnership_Agreement_v3.pdf", []string{
		"Hello Eva,\n\nattached is the final version of the partnership agreement with the changes from our call. If everything is fine, please sign and return it by the end of the month.\n\nBest,\n",
		"Hello Claire,\n\nthanks a lot. Legal has approved it; you'll get the signed copy this week.\n\nBest regards,\nEva\n",
	}},
	{"Pull request: offline search for attachments", "en", "INBOX", "", []string{
		"Hi Eva,\n\nI opened a pull request that makes attachment names searchable offline. It adds one column to the index; the migration runs in under a second for 100,000 messages on my laptop.\n\nWould you review it?\n\nPriya\n",
		"Hi Priya,\n\nnice work. I left a few comments: mainly the migration should be resumable if the app is killed halfway.\n\nEva\n",
		"Good catch – it now runs in one transaction. Updated!\n\nPriya\n",
		"Approved. Thanks!\n\nEva\n",
	}},
	{"Bürgersprechstunde im Dezember", "de", "Projekte/Rathaus-Portal", "", []string{
		"Liebe Frau Schmidt,\n\nfür die Bürgersprechstunde im Dezember brauchen wir noch zwei Personen, die das neue Online-Portal vorstellen. Hätten Sie Zeit?\n\nFreundliche Grüße\nThomas Krüger\n",
		"Lieber Herr Krüger,\n\ngerne. Ich bringe einen Laptop mit der Demo mit, dann können die Bürgerinnen und Bürger es gleich ausprobieren.\n\nViele Grüße\nEva Schmidt\n",
	}},
	{"Feedback on the design mock-ups", "en", "INBOX", "mockup_start_page.png", []string{
		"Hi Eva,\n\nhere are the new mock-ups for the start page. We tried a calmer colour palette and bigger touch targets.\n\nLet me know what you think!\nGrace\n",
		"Hi Grace,\n\nmuch better! The contrast of the grey labels is a bit low, though – can we check them against WCAG AA?\n\nEva\n",
		"Good point, we'll darken them to pass AA.\n\nGrace\n",
	}},
	{"Urlaubsvertretung", "de", "INBOX", "", []string{
		"Hallo Eva,\n\nich bin vom 22.12. bis 6.1. im Urlaub. Könntest du in der Zeit meine Tickets im Blick behalten? Die dringenden habe ich markiert.\n\nDanke und schöne Feiertage!\nSophie\n",
		"Hallo Sophie,\n\nmache ich gern. Erhol dich gut!\n\nEva\n",
	}},
	{"Rechnung November", "de", "Archive", "Rechnung_2026-11.pdf", []string{
		"Guten Tag,\n\nanbei erhalten Sie die Rechnung für November. Bitte überweisen Sie den Betrag innerhalb von 14 Tagen.\n\nMit freundlichen Grüßen\nStadtwerke – Kundenservice\n",
	}},
	{"Lunch on Friday?", "en", "INBOX", "", []string{
		"Hey Eva, lunch on Friday at the Turkish place? Mehmet and Amira are in too.\n",
		"Sure, 12:30?\n",
		"12:30 it is 👍\n",
	}},
	{"Serverwartung am Wochenende", "de", "INBOX", "", []string{
		"Hallo zusammen,\n\nam Samstag zwischen 8 und 12 Uhr werden die Server gewartet. In dieser Zeit sind Dateien und Mail nur eingeschränkt erreichbar. Deskport hält eure Änderungen so lange lokal und gleicht sie danach ab.\n\nViele Grüße\nJonas (IT)\n",
	}},
	{"Conference talk accepted", "en", "INBOX", "", []string{
		"Dear Eva Schmidt,\n\nwe are happy to tell you that your talk \"A desktop client for a sovereign workplace\" has been accepted. Please upload your slides by the 1st of the month.\n\nThe programme committee\n",
		"Dear committee,\n\nwonderful news, thank you! I'll upload the slides in time.\n\nEva Schmidt\n",
	}},
	{"Neue Mitarbeiterin im Team", "de", "INBOX", "", []string{
		"Hallo zusammen,\n\nab Montag verstärkt Amira Yilmaz unser Team. Sie kümmert sich um die Barrierefreiheit unserer Anwendungen. Bitte heißt sie herzlich willkommen!\n\nSophie\n",
		"Willkommen, Amira! Ich freue mich auf die Zusammenarbeit.\n\nEva\n",
		"Danke euch allen für den herzlichen Empfang! 😊\n\nAmira\n",
	}},
	{"Security update for the VPN", "en", "Archive", "", []string{
		"Hi all,\n\nplease install the VPN client update by Friday. The old version will stop working next month.\n\nIT\n",
	}},
}

// Short one-off messages fill the mailbox to a realistic size.
var notes = []struct{ Lang, Subject, Text string }{
	{"de", "Kurze Frage zum Termin", "Hallo Eva,\n\npasst dir Dienstag um 10 Uhr?\n\nGruß\n"},
	{"de", "Unterlagen für die Sitzung", "Hallo,\n\ndie Unterlagen für die Sitzung liegen im gemeinsamen Ordner unter Projekte.\n\nViele Grüße\n"},
	{"de", "Erinnerung: Zeiterfassung", "Hallo,\n\nbitte denkt an die Zeiterfassung für diesen Monat.\n\nDanke!\n"},
	{"de", "Raumbuchung bestätigt", "Ihre Buchung für Raum 2.14 (Donnerstag, 9–11 Uhr) ist bestätigt.\n"},
	{"de", "Druckerpapier ist da", "Hallo zusammen, die Lieferung Druckerpapier steht im Flur. Bitte bedient euch.\n"},
	{"de", "Re: Zugang zum Wiki", "Hallo Eva, dein Zugang zum Wiki ist eingerichtet. Du kannst dich mit deinem normalen Konto anmelden.\n"},
	{"en", "Quick question about the API", "Hi Eva,\n\ndoes the files API return the file id on upload, or do we need a second request?\n\nThanks!\n"},
	{"en", "Slides from today's meeting", "Hi,\n\nthe slides from today are in the shared folder.\n\nBest,\n"},
	{"en", "Reminder: team retro tomorrow", "Hi all, reminder that the retro is tomorrow at 3pm in the small meeting room.\n"},
	{"en", "Your parcel is on its way", "Your parcel has been dispatched and will arrive in 2–3 working days.\n"},
	{"en", "Coffee machine fixed", "Good news: the coffee machine on the 2nd floor works again. ☕\n"},
	{"en", "Re: access to the staging server", "Hi Eva, you now have access to staging. Please don't store real data there.\n"},
}

// Newsletters come as HTML with a text alternative.
var newsletters = []struct{ Lang, Subject, Lead string }{
	{"de", "Newsletter: Digitale Souveränität in der Verwaltung", "Wie Kommunen mit offenen Werkzeugen unabhängig bleiben – ein Bericht aus drei Städten."},
	{"en", "Open Source Weekly: new releases", "This week: a new release of the collaboration suite, faster file sync and a guide to accessible web apps."},
	{"de", "Neuigkeiten aus dem Rathaus", "Das neue Bürgerportal ist online: Termine, Anträge und Auskünfte jetzt rund um die Uhr."},
	{"en", "Community call summary", "Highlights from our monthly community call, including the roadmap for next year."},
}
