// The shipped rule packs (rules/*.yaml) through the real engine: every rule's own examples, and
// the policy's classes on small documents. Reference date fixed at 2026-11-27.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "vakt/scanner/engine.h"
#include "vakt/scanner/text_scanner.h"

namespace vakt {
namespace {

std::shared_ptr<const Engine> shipped_engine() {
  static std::shared_ptr<const Engine> engine = [] {
    EngineOptions opts;
    opts.rules_dir = std::string(VAKT_SOURCE_DIR) + "/rules";
    opts.reference_date = CivilDate{2026, 11, 27};
    auto e = Engine::load(opts);
    if (!e) ADD_FAILURE() << e.error().message;
    return e ? e.value() : nullptr;
  }();
  return engine;
}

DocumentVerdict scan(const std::string& text) {
  TextScanner ts(shipped_engine(), true);
  ts.begin_part("");
  ts.text(text);
  ts.end_part();
  return ts.finish();
}

TEST(ShippedRules, EveryExamplePasses) {
  auto engine = shipped_engine();
  ASSERT_NE(engine, nullptr);
  const ExampleReport report = run_rule_examples(engine);
  EXPECT_GT(report.run, 200u);
  for (const auto& f : report.failures) {
    ADD_FAILURE() << f.rule_id << (f.expected_match ? " must match: " : " must not match: ")
                  << f.example << " (" << f.detail << ")";
  }
}

TEST(ShippedPolicy, ClassesOfTypicalDocuments) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_EQ(scan("Protokoll från nämndens sammanträde. Inga beslut.").info_class, 0);
  EXPECT_EQ(scan("Kontakt: Test Testsson, personnummer 19990604-2388.").info_class, 2);
  EXPECT_EQ(scan("Sekretess enligt 26 kap. 1 § OSL\nAnteckning om besök.").info_class, 3);
  // Guidance that discusses markings stays below 3 without a person.
  EXPECT_LT(scan("Riktlinje: handlingar som är sekretessmarkerade får inte lämnas ut.").info_class,
            3);
  EXPECT_EQ(scan("Enligt 26 kap. 1 § OSL gäller sekretess inom socialtjänsten.").info_class, 1);
  EXPECT_EQ(scan("Orosanmälan gällande barn med personnummer 990604-2388.").info_class, 3);
  EXPECT_EQ(scan("Barnet har skyddad identitet.").info_class, 3);
  EXPECT_EQ(scan("Stockholms stad, org.nr 212000-0142").info_class, 0);
  EXPECT_EQ(scan("IBAN: SE45 5000 0000 0583 9825 7466").info_class, 1);
  // A bare 10-digit run without separator or context word is only "unconfirmed": class 1.
  EXPECT_EQ(scan("Referens 9906042388").info_class, 1);
  EXPECT_EQ(scan("Referens 9906042388, personnummer").info_class, 2);
  // A YYYYMMDDhhmm timestamp that happens to pass date and Luhn (2024-01-15 14:08) in a
  // Message-ID, or YYYYMMDD-hhmm in a scanner's file name, is no more than that...
  EXPECT_EQ(scan("Message-Id: <202401151408.o8M7Urh3018672@example.org>").info_class, 1);
  EXPECT_EQ(scan("Skanning_20240115-1408.pdf").info_class, 1);
  EXPECT_EQ(scan("Personnummer 20240115-1408").info_class, 2);
  // ... but twelve digits whose serial is no clock time are read as the personnummer they are,
  // context word or not (a reviewer's case note and a register export came out class 1).
  EXPECT_EQ(scan("Personnummer 199906042388").info_class, 2);
  EXPECT_EQ(scan("Elsa Testsson (199906042388) - orosanmälan inkom från skolan.").info_class, 3);
  EXPECT_EQ(scan("Elsa Testsson 19990604-2388").info_class, 2);
  // "född" is a context word; "Personal idag" and a privacy footer are not.
  EXPECT_EQ(scan("Anna Andersson, född 9906042388").info_class, 2);
  EXPECT_EQ(scan("Personal idag: Lisa. Jour 9906042388").info_class, 1);
  EXPECT_EQ(scan("Faktura 9906042388. Vi behandlar dina personuppgifter enligt GDPR.").info_class,
            1);
  // Unconfirmed (bare, no context) digits do not lift a text to 3 with a domain word or citation.
  EXPECT_EQ(scan("Referens 9906042388. Orosanmälan.").info_class, 1);
  EXPECT_EQ(scan("Referens 9906042388 enligt 26 kap. 1 § OSL").info_class, 1);
  // Weak words near a person identifier: class 2 (the identifier), not 3.
  EXPECT_EQ(scan("Handläggare: Test Testsson, personnummer 19990604-2388").info_class, 2);
  EXPECT_EQ(scan("Patient med personnummer 19990604-2388").info_class, 3);
  // Protected identity is class 3 with a person even in guidance text.
  EXPECT_EQ(scan("Rutin för skyddad identitet. Elev 19990604-2388.").info_class, 3);
  EXPECT_EQ(scan("Rutin för elever med skyddad identitet.").info_class, 1);
  // Domain words of two areas without an identifier: class 2 at score >= 8.
  EXPECT_EQ(scan("Orosanmälan. Barnavårdsutredning. Eleven har åtgärdsprogram och träffar "
                 "skolpsykologen.")
                .info_class,
            2);
}

// A reviewer's cases: guidance words cancel a stamp only close to it; general sentences about
// secrecy are not stamps.
TEST(ShippedPolicy, StampsGuidanceAndGeneralSentences) {
  ASSERT_NE(shipped_engine(), nullptr);
  const std::string filler(600, ' ');
  // A stamped case note that mentions a routine far from the stamp stays class 3.
  EXPECT_EQ(scan("SEKRETESS ENLIGT 26 KAP. 1 § OSL\nUtredning om barnets situation." + filler +
                 "Familjen saknar rutin för måltider och sömn.")
                .info_class,
            3);
  // The stamp heads a case document that cites the routine it follows in its next lines; a
  // guidance text shows the stamp after its title, or discusses it in the stamp's own sentence.
  EXPECT_EQ(scan("SEKRETESS ENLIGT 26 KAP. 1 § OSL\nDnr SN 2026/114\nUtredning om Elsas "
                 "situation. Handläggningen följer nämndens riktlinjer för barnavårdsutredningar.")
                .info_class,
            3);
  EXPECT_LE(scan("Riktlinje för märkning av handlingar\nEn personakt märks på första sidan: "
                 "Sekretess enligt 26 kap. 1 § OSL.")
                .info_class,
            1);
  EXPECT_LE(scan("Sekretess enligt 26 kap. 1 § OSL gäller för uppgifter om enskildas "
                 "personliga förhållanden inom socialtjänsten.")
                .info_class,
            1);
  EXPECT_EQ(scan("Elsa har skyddad identitet. Adressen får inte lämnas ut." + filler +
                 "Enligt kommunens riktlinjer ska ärendet följas upp.")
                .info_class,
            3);
  // General sentences and boilerplate are not stamps.
  EXPECT_LE(scan("Uppgifter i anbud omfattas av sekretess enligt 19 kap. 3 § OSL.").info_class, 1);
  EXPECT_LE(scan("Nycklar lämnas inte ut till personer under 18 år.").info_class, 1);
  EXPECT_LE(scan("Pristagaren hemlighålls till prisutdelningen.").info_class, 1);
  EXPECT_LE(
      scan("Har du skyddade personuppgifter? Kontakta HR innan du skickar ansökan.").info_class, 1);
  EXPECT_LE(scan("Nämnden beslutar att upphandla skyddat boende.").info_class, 1);
  // The same sentence about a person is class 3.
  EXPECT_EQ(scan("Handlingen omfattas av sekretess. Elev 19990604-2388.").info_class, 3);
  EXPECT_EQ(scan("Placerad i skyddat boende. Personnummer 19990604-2388.").info_class, 3);
}

// More of the reviewer's cases: social-services citations, diagnoses and security stamps lift a
// document with a person to 3; a password next to a person's name does not.
TEST(ShippedPolicy, SocialServicesCitationsDiagnosesAndSecurityStamps) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_EQ(scan("Ansökan om bistånd enligt 4 kap. 1 § SoL avslås. Sökande: Per Testsson, "
                 "19121212-1212.")
                .info_class,
            3);
  EXPECT_EQ(scan("ANMÄLAN ENLIGT 14 KAP. 1 § SOCIALTJÄNSTLAGEN. Elsa, 990604-2388.").info_class, 3);
  EXPECT_EQ(scan("Elev 19990604-2388. Socialtjänsten har kontaktats.").info_class, 3);
  EXPECT_EQ(scan("Elev 19990604-2388 har ADHD och autism.").info_class, 3);
  EXPECT_EQ(scan("Säkerhetsskyddsklass: KONFIDENTIELL\nKrigsorganisation 2025.").info_class, 3);
  EXPECT_EQ(scan("Beställning av konto. Personnummer 19121212-1212. Tillfälligt lösenord skickas "
                 "via SMS.")
                .info_class,
            2);
  EXPECT_EQ(scan("Det var 4 kap. 1 § sol på fredag.").info_class, 0);
}

// A staff phone list: 400 mobile numbers of which some pass date and checksum as bare 10-digit
// runs. Not a register of persons.
TEST(ShippedPolicy, APhoneListIsNotARegister) {
  ASSERT_NE(shipped_engine(), nullptr);
  std::string list = "Förnamn;Efternamn;Enhet;Mobil\n";
  std::uint32_t x = 12345;
  int valid_looking = 0;
  for (int i = 0; i < 400; ++i) {
    x = x * 1103515245u + 12345u;
    char number[16];
    std::snprintf(number, sizeof number, "070%07u", (x >> 8) % 10000000u);
    list += "Test;Testsson;Hemtjänst;" + std::string(number) + "\n";
  }
  const DocumentVerdict v = scan(list);
  for (const auto& f : v.findings) valid_looking += f.rule_id == "se.personnummer";
  EXPECT_GE(valid_looking, 10) << "the list should hold personnummer-shaped numbers";
  EXPECT_LE(v.info_class, 1);
}

// A case note in one domain only, without an identifier: class 2 when the vocabulary is strong.
TEST(ShippedPolicy, StrongVocabularyOfOneDomainIsClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_EQ(scan("Journalanteckning. Orosanmälan inkom om Elsa. Våld i nära relation och "
                 "missbruk i hemmet. Skyddsbedömning gjord; barnet placerat i jourhem. "
                 "Barnavårdsutredning inleds.")
                .info_class,
            2);
  EXPECT_LE(scan("Rutin för orosanmälan: vid misstanke om våld i nära relation eller missbruk "
                 "görs en skyddsbedömning och barnavårdsutredning.")
                .info_class,
            1);
}

// A journal note about a family, without a personnummer: the vocabulary of one domain scores 8,
// below the one-domain threshold; its heading says it is a case record, so it stays local.
TEST(ShippedPolicy, ACaseRecordWithoutAnIdentifierIsClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  const std::string note =
      "Journalanteckning 2026-11-03\nHembesök hos familjen Testsson. Orosanmälan från förskolan "
      "gällde blåmärken. Förhandsbedömningen visar att barnavårdsutredning ska inledas. Pappan "
      "har ett missbruk och det har förekommit våld i nära relation.";
  const DocumentVerdict v = scan(note);
  EXPECT_EQ(v.info_class, 2);
  EXPECT_NE(std::find(v.conditions.begin(), v.conditions.end(), "case-record-vocabulary"),
            v.conditions.end());
  // The same words in a routine, and a heading without sensitive words, stay below 2.
  EXPECT_LE(scan("Rutin för journalanteckning vid hembesök: orosanmälan, förhandsbedömning och "
                 "barnavårdsutredning dokumenteras.")
                .info_class,
            1);
  EXPECT_LE(scan("Journalanteckning 2026-11-03\nSamtal om skolskjuts och lunchtider.").info_class,
            1);
}

// Staff guides on the intranet: a heading that tells the reader how to do something, and a
// condition about anyone ("När en elev har skyddade personuppgifter") are guidance, not a case.
TEST(ShippedPolicy, StaffGuidesForAnyoneAreNotCases) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_LE(scan("Skyddade personuppgifter i skolan\nNär en elev har skyddade personuppgifter får "
                 "elevens namn inte visas på klasslistor. Kontakta skolkuratorn om du är osäker.")
                .info_class,
            1);
  EXPECT_LE(scan("Så hanterar du orosanmälningar\nAlla som arbetar i skolan ska göra en "
                 "orosanmälan till socialtjänsten vid misstanke om att ett barn far illa. Vid "
                 "misstanke om våld i nära relation kontaktas polisen.")
                .info_class,
            1);
  // A particular pupil stays class 3, even with the guide's words close by.
  EXPECT_EQ(scan("Skyddade personuppgifter i skolan\nEleven Elsa har skyddade personuppgifter. "
                 "När en elev har skyddade personuppgifter får namnet inte visas.")
                .info_class,
            3);
}

DocumentVerdict scan_pages(const std::vector<std::string>& pages, const std::string& prefix = "") {
  TextScanner ts(shipped_engine(), false);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    ts.begin_part(prefix + "page " + std::to_string(i + 1));
    ts.text(pages[i]);
    ts.end_part();
  }
  return ts.finish();
}

// A PDF's pages are parts. The top of page 2 is running text ("… enligt nämndens riktlinjer"),
// not a title: it does not make a case note guidance. A guide's title on page 1 still does.
TEST(ShippedPolicy, OnlyTheFirstPdfPageHasAHeading) {
  ASSERT_NE(shipped_engine(), nullptr);
  const std::string case_note =
      "Journalanteckning 2026-11-03\nOrosanmälan från förskolan gällde blåmärken. "
      "Barnavårdsutredning inleds. Pappan har ett missbruk och det har förekommit våld i nära "
      "relation.";
  const std::string page_two =
      "Handläggningen sker enligt nämndens riktlinjer för "
      "barnavårdsutredningar. Nytt hembesök bokas.";
  EXPECT_EQ(scan_pages({case_note, page_two}).info_class, 2);
  EXPECT_EQ(scan_pages({case_note, page_two}, "bilaga.pdf/").info_class, 2);
  // The same words at the top of page 1 are the title of a routine.
  EXPECT_LE(scan_pages({"Riktlinjer för barnavårdsutredningar\n" + case_note}).info_class, 1);
}

// A review of realistic documents: a working risk analysis, a door code in an e-mail and a
// written warning stayed below 2 and would have synced; a public page on how to apply for home
// care came out 2.
TEST(ShippedPolicy, SecurityAnalysesCodesAndWarningsAreClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_EQ(scan("Risk- och sårbarhetsanalys 2026 – arbetsmaterial, avsnitt 4\nVattenverket saknar "
                 "reservkraft och har bara en inkommande elmatning. Staketet runt reservoaren är "
                 "trasigt och området saknar skalskydd.")
                .info_class,
            2);
  EXPECT_EQ(scan("Hej alla!\nFrån måndag är det ny kod till personalingången på baksidan: 3971\n"
                 "/Anna, enhetschef")
                .info_class,
            2);
  EXPECT_EQ(scan("Databaser\nProcapita: sa, lösen: Pc4p!ta_2025").info_class, 2);
  EXPECT_EQ(scan("Skriftlig varning\nDu har vid tre tillfällen kommit till arbetet påverkad av "
                 "alkohol. Du erbjuds stöd via företagshälsovården.")
                .info_class,
            2);
  // Guidance, public pages and schedules stay below 2.
  EXPECT_LE(scan("Riktlinjer för risk- och sårbarhetsanalys\nAnalysen ska omfatta reservkraft, "
                 "skalskydd och sårbarheter i vattenförsörjningen.")
                .info_class,
            1);
  EXPECT_LE(scan("Hemtjänst – så ansöker du\nDu ansöker hos kommunens biståndshandläggare. Om du "
                 "har demens eller inkontinens kan du få hjälp med personlig omvårdnad.")
                .info_class,
            1);
  EXPECT_LE(scan("Rutin för skriftlig varning\nChefen kontaktar HR och företagshälsovården innan "
                 "en varning ges.")
                .info_class,
            1);
  EXPECT_LE(scan("Schema vecka 14\nPass: 07:00-16:00 Lisa\nPass: 13:00-21:30 Ahmed").info_class, 1);
}

// A second review: 46 ordinary documents, 21 of them at class 2 or 3 (a board's open minutes,
// an annual report, a newsletter, a page for guardians on protected personal data …). Each
// case below has its sensitive twin, which must keep its class.
TEST(ShippedPolicy, OrdinaryMunicipalDocumentsStayBelowTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_LE(scan("Socialnämnden – protokoll 2026-09-17\n§ 71 Antalet orosanmälningar har ökat med "
                 "12 procent. Arbetet med att rekrytera fler familjehem fortsätter.\n§ 73 "
                 "Handlingsplan mot våld i nära relation 2027 antas.\n§ 74 Insatser vid missbruk.")
                .info_class,
            1);
  EXPECT_EQ(scan("Socialnämndens individutskott – protokoll 2026-09-17\n§ 12 Beslut om vård enligt "
                 "2 § LVU för Wilma. Placering i familjehem. Moderns missbruk och våld i nära "
                 "relation.")
                .info_class,
            2);
  EXPECT_LE(scan("Nyhetsbrev från socialförvaltningen – november 2026\nJournalanteckningar från "
                 "det gamla systemet flyttas över automatiskt. Kampanjen Bli familjehem har gett "
                 "27 intresseanmälningar.")
                .info_class,
            1);
  EXPECT_LE(
      scan("Skyddade personuppgifter – information till dig som är vårdnadshavare\nOm ditt "
           "barn har skyddade personuppgifter är det viktigt att skolan får veta det.\n"
           "Skyddade personuppgifter kan vara sekretessmarkering, skyddad folkbokföring eller "
           "fingerade personuppgifter.")
          .info_class,
      1);
  EXPECT_LE(scan("Diarieföring\nMarkera handlingen med en sekretessmarkering i diariet när den "
                 "innehåller uppgifter som kan omfattas av sekretess.")
                .info_class,
            1);
  // "Eftersom" holds "om": a letter about a pupil in the class is no general condition.
  EXPECT_EQ(
      scan("Till vårdnadshavare i klass 4B\nEftersom en elev har skyddade personuppgifter får "
           "klasslistan inte sättas upp.")
          .info_class,
      3);
  // A filled-in subject field holds a record whatever word heads it.
  EXPECT_EQ(scan("Checklista vid hembesök\nBrukare: Astrid Holmqvist\nDosett saknades, "
                 "trygghetslarmet fungerade inte. Kontakt tagen med sjuksköterska om hemsjukvård.")
                .info_class,
            2);
  EXPECT_LE(scan("Checklista vid hembesök\nKontrollera dosett och ordination. Ring sjuksköterska "
                 "vid frågor om hemsjukvård.")
                .info_class,
            1);
}

// A home visit written in plain words: the social secretary (weak) and the school counsellor
// (medium) are all its vocabulary. A reviewer's note like this came out class 1 and would sync.
TEST(ShippedPolicy, AHomeVisitInPlainWordsIsClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  const std::string visit =
      "Besök i hemmet 2026-11-03\nNärvarande: Lisa Ek (socialsekreterare), mamman och Elsa.\n"
      "Det fanns ingen mat i kylskåpet. Mamman berättade att hon har svårt att sova och har "
      "slutat gå till arbetet. Elsa har inte varit i skolan på två veckor. Vi gör ett nytt besök "
      "nästa vecka och kontaktar skolkuratorn.";
  const DocumentVerdict v = scan(visit);
  EXPECT_EQ(v.info_class, 2);
  EXPECT_NE(std::find(v.conditions.begin(), v.conditions.end(), "case-record-vocabulary"),
            v.conditions.end());
  // Without the case-record heading the same two words stay at 1, and so does a routine for
  // home visits that names them.
  EXPECT_EQ(scan("Lisa Ek, socialsekreterare, och skolkuratorn håller i föräldramötet.").info_class,
            1);
  EXPECT_LE(scan("Rutin för besök i hemmet\nSocialsekreteraren bokar tid och informerar "
                 "skolkuratorn.")
                .info_class,
            1);
}

// A note or mail in plain words names its person by first name and holds one or two words
// about her circumstances; the names of the mail's reader and writer do not count, and neither
// do staff named beside the name of a service, nor English text.
TEST(ShippedPolicy, APlainNoteAboutANamedPersonIsClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  const auto named = [](const std::string& text) {
    const DocumentVerdict v = scan(text);
    return v.info_class == 2 && std::find(v.conditions.begin(), v.conditions.end(),
                                          "named-person-vocabulary") != v.conditions.end();
  };
  EXPECT_TRUE(
      named("Var hemma hos Lina och barnen i eftermiddags. Lägenheten var stökig. Hon "
            "vill inte polisanmäla exet."));
  EXPECT_TRUE(named("Hej Lotta,\nJohan är sjukskriven sex veckor till efter operationen.\n/Mats"));
  EXPECT_TRUE(named("Hej Peter,\nTindra flyttar till familjehemmet på fredag.\nMvh Karin"));
  EXPECT_TRUE(named("Träffade Kenneth på mottagningen. Han vill komma in på behandlingshem."));
  // A teacher's concern in plain words, before anyone writes "orosanmälan".
  EXPECT_TRUE(
      named("Hej!\nJag är klasslärare för Amir i 2B. Han har samma kläder på sig flera "
            "dagar i rad och säger att han inte vill gå hem.\nHälsningar Sofia"));
  // Only the reader and the writer are named.
  EXPECT_LE(
      scan("Hej Anna,\nkan du boka en lokal till mötet om försörjningsstöd?\nMvh Lars").info_class,
      1);
  // Staff beside a service's name, and a name far from the word.
  EXPECT_LE(scan("Anna och Erik från hemtjänsten kommer på APT. Karin berättar om skolsköterskans "
                 "arbete.")
                .info_class,
            1);
  EXPECT_LE(scan("Linnea ringde om mötet." + std::string(400, ' ') +
                 "Försörjningsstöd betalas ut den 25:e.")
                .info_class,
            1);
  // English: a reference list and a history book.
  EXPECT_LE(
      scan("Thomas Berg (2004). Journal of Law and Economics 12. Before the Great Depression, "
           "Daniel wrote about the patient.")
          .info_class,
      1);
  // Board minutes list members beside the service.
  EXPECT_LE(scan("PROTOKOLL\nKommunfullmäktige, sammanträdesdatum 2026-10-26\n§ 3 Till ersättare "
                 "i socialnämnden väljs Maria Holm (S). Motionen om försörjningsstöd besvaras.")
                .info_class,
            1);
}

// Incident reports and personnel files are case records too: a pupil suspected of a crime, an
// employee's health and union membership.
TEST(ShippedPolicy, IncidentReportsAndPersonnelFilesAreCaseRecords) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_EQ(scan("Incidentrapport Testby skola 2026-11-19\nOlle misstänks ha tagit en mobiltelefon "
                 "och hotat en klasskamrat. Rektor har polisanmält och gjort en orosanmälan.")
                .info_class,
            2);
  EXPECT_EQ(scan("Anteckning i personalakt – Anna Testsson\nAnna är gravid och har epilepsi. Hon "
                 "är medlem i Kommunal.")
                .info_class,
            2);
  // "SIS" in a procurement notice is the standards institute, not Statens institutionsstyrelse.
  EXPECT_EQ(scan("Påsarna ska uppfylla SIS standard SS-EN 13432.").info_class, 0);
}

// Written-out codes and passwords are access to a building or a network.
TEST(ShippedPolicy, CodesAndPasswordsWrittenOutAreClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_EQ(scan("Huvudentré: larmkod 4711, nyckelbricka nr 12").info_class, 2);
  EXPECT_EQ(scan("Serverrum: kod till dörren 9931").info_class, 2);
  EXPECT_EQ(scan("Wifi för personal: lösenord Sommar2026!").info_class, 2);
  EXPECT_LE(scan("Lösenordet måste ha minst 12 tecken och bytas varje år.").info_class, 1);
  EXPECT_LE(scan("Byt larmkoden när en medarbetare slutar.").info_class, 1);
}

// The lines of a rule's findings; each must be masked as a secret.
std::vector<std::uint64_t> hidden_lines(const DocumentVerdict& v, const std::string& rule) {
  std::vector<std::uint64_t> lines;
  for (const auto& f : v.findings) {
    if (f.rule_id != rule) continue;
    EXPECT_EQ(f.masked, "********") << rule << " line " << f.line;
    lines.push_back(f.line);
  }
  return lines;
}

// An operations note lists logins of built-in accounts as "account / secret", and a list of
// alarm codes has its code word only in the heading. Each secret is one finding, shown as
// "********" whatever its length.
TEST(ShippedPolicy, LoginsAndCodeListsAreClassTwoAndFullyHidden) {
  ASSERT_NE(shipped_engine(), nullptr);
  const auto v = scan(
      "IT-drift – inloggningar\nsrv-ekonomi01 administrator / Vinter2026!Kommun\n"
      "Procapita databas: sa / Pc4p!ta_2025\nBrandvägg FortiGate admin: Fg#88kommun\n");
  EXPECT_EQ(v.info_class, 2);
  EXPECT_EQ(hidden_lines(v, "domain.security.credentials"), (std::vector<std::uint64_t>{2, 3, 4}));
  // Alarm codes listed under their heading, with no code word on the lines themselves.
  const auto codes = scan(
      "Larmkoder förskolor – gäller från 1 april\nSolrosens förskola: 4417\n"
      "Blåklockan: 9023 (larm avaktiveras vid huvudentrén)\nHumlan: 6651#\n"
      "Nyckelbox vid soprummet Humlan: 2580\nKontakta Securitas 010-470 50 00 vid fellarm.\n");
  EXPECT_EQ(codes.info_class, 2);
  EXPECT_EQ(hidden_lines(codes, "domain.security.code_list"),
            (std::vector<std::uint64_t>{2, 4, 5}));
  // A routine about the codes, with a version year and a sum, holds none.
  EXPECT_LE(scan("Rutin för larmkoder\nGäller från: 2026\nKostnad: 4500 kr per år\n"
                 "Koderna byts varje kvartal.\n")
                .info_class,
            1);
  // Names, dates, paths and upper-case log fields after the same words are not secrets.
  EXPECT_LE(scan("Admin: Anna Svensson\nroot: /var/lib/vakt2\nMEM:PB/FDS11 SA/FDS11\n"
                 "Hon sa / han sa 2 gånger")
                .info_class,
            1);
}

// A person marked in the population register, and the forwarding address only such people have.
TEST(ShippedPolicy, SekretessmarkeradPersonIsProtectedIdentity) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_EQ(scan("Mamman är sekretessmarkerad hos Skatteverket sedan flytten.").info_class, 3);
  EXPECT_EQ(scan("Barnens post skickas via Skatteverkets förmedlingsadress.").info_class, 3);
  EXPECT_LE(scan("Riktlinjer för hantering av sekretessmarkerade handlingar").info_class, 2);
}

bool fired(const DocumentVerdict& v, const std::string& condition) {
  return std::find(v.conditions.begin(), v.conditions.end(), condition) != v.conditions.end();
}

// A guidance word near "skyddad identitet" cancels it; a sentence that says a particular person
// has it does not, even in a note that cites the routine it follows.
TEST(ShippedPolicy, APersonWithProtectedIdentityBesideARoutineIsClassThree) {
  ASSERT_NE(shipped_engine(), nullptr);
  const DocumentVerdict note = scan(
      "Anteckning 2026-11-20\nSara har skyddad identitet. Enligt rutin för skyddade "
      "personuppgifter skickas kallelser via Skatteverket och adressen får inte lämnas ut.");
  EXPECT_EQ(note.info_class, 3);
  EXPECT_TRUE(fired(note, "protected-identity-statement"));
  for (const auto& f : note.findings) {
    EXPECT_EQ(f.masked.find("Sara"), std::string::npos) << "the subject is shown: " << f.masked;
  }
  EXPECT_EQ(scan("Enligt rutin för skolskjuts: sedan i höstas har familjen skyddade "
                 "personuppgifter.")
                .info_class,
            3);
  // The routine itself, in the words guidance uses, stays below class 3.
  EXPECT_LE(scan("Rutin för skyddade personuppgifter\nOm eleven har skyddad identitet ska "
                 "rektor kontakta registrator. Har du skyddad identitet? Kontakta HR. Elever har "
                 "skyddad identitet i många kommuner.")
                .info_class,
            1);
}

// Bids are secret until the award (19 kap. 3 § OSL); the call for tenders is public.
TEST(ShippedPolicy, ProcurementEvaluationBeforeAwardIsClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  const DocumentVerdict protocol = scan(
      "Utvärderingsprotokoll – upphandling av skolskjuts\nTilldelningsbeslut är ännu inte "
      "fattat. Anbudsgivare A: anbudspris 2,1 mkr. Anbudsgivare B: anbudspris 2,4 mkr.");
  EXPECT_EQ(protocol.info_class, 2);
  EXPECT_TRUE(fired(protocol, "procurement-before-award"));
  EXPECT_EQ(scan("Anbudsöppningsprotokoll 2026-10-02. Fyra anbud har kommit in.").info_class, 2);
  EXPECT_LE(scan("Förfrågningsunderlag: skolskjuts. Anbud ska lämnas senast 2026-12-01. "
                 "Anbudspriset anges i bilaga 2. Anbudsöppning sker efter sista anbudsdag. "
                 "Tilldelningsbeslut skickas till samtliga anbudsgivare.")
                .info_class,
            1);
  EXPECT_LE(scan("Utvärderingsprotokoll för elevernas praktik vårterminen 2026").info_class, 1);
  EXPECT_LE(scan("Rutin för upphandling: utvärderingsprotokollet och anbudspriserna omfattas "
                 "av sekretess före tilldelningsbeslut.")
                .info_class,
            1);
}

// Guidance and reports say what they are in their heading; a case note may cite a routine
// further down and is still a case note (the vocabulary conditions read context.discussion in
// the first 250 bytes of a part only).
TEST(ShippedPolicy, ARoutineCitedInACaseNoteDoesNotCancelIt) {
  ASSERT_NE(shipped_engine(), nullptr);
  const std::string note =
      "Socialförvaltningen, Enheten Barn och unga\nÄrende: Lova (8 år)\n\n2026-10-14 Hembesök\n"
      "Lägenheten var stökig och det fanns tomma ölburkar på köksbänken. Mamma berättade att "
      "pappa varit där trots kontaktförbud. Lova sa att pappa skrek och att mamma grät.\n\n"
      "Enligt enhetens rutiner för hembesök var vi två socialsekreterare.\n\nBedömning\nDet "
      "finns fortsatt oro för att Lova bevittnar våld i hemmet. Ny skyddsbedömning görs "
      "2026-10-17.";
  EXPECT_EQ(scan(note).info_class, 2);
  // The same words under a routine's heading are guidance.
  EXPECT_LE(scan("Rutin för hembesök inom Barn och unga\n\nVid hembesök ska två "
                 "socialsekreterare delta. Om barnet bevittnar våld i hemmet görs en ny "
                 "skyddsbedömning. Journalanteckning förs samma dag.")
                .info_class,
            1);
  // A board's half-year report lists placements and försörjningsstöd about groups.
  EXPECT_LE(scan("Delårsrapport augusti 2026\nSocialnämnden\n\nKostnaderna för "
                 "institutionsplaceringar (HVB) av barn och unga uppgår till 24,3 mkr. 14 barn "
                 "har varit placerade på HVB och 38 barn i familjehem. Fyra ungdomar har varit "
                 "placerade vid SiS-institution med stöd av LVU. Utbetalt försörjningsstöd "
                 "uppgår till 31,2 mkr; ekonomiskt bistånd till 412 hushåll. Orosanmälningar: "
                 "512, barnavårdsutredningar: 143.")
                .info_class,
            1);
}

// A filled-in report names its person in a form field; the blank form does not.
TEST(ShippedPolicy, AFilledInFormIsACaseRecord) {
  ASSERT_NE(shipped_engine(), nullptr);
  const std::string body =
      "\nVårdnadshavare: se bilaga\n\nAnledning till anmälan\nI dag kom barnet till skolan med "
      "ett blåmärke på överarmen och sa att pappa blev arg igen. Skolsköterskan har dokumenterat "
      "märkena.";
  EXPECT_EQ(
      scan("ANMÄLAN OM ORO FÖR BARN\nBarnets namn: Wilma Karlsson, klass 3A" + body).info_class, 2);
  EXPECT_LE(scan("ANMÄLAN OM ORO FÖR BARN\nBarnets namn: ______________" + body).info_class, 1);
}

// Training material shows stamps and speaks of "en sekretessmarkering" as the marking of a
// document; a routine tells staff that they can apply for one. Neither is about a person.
TEST(ShippedPolicy, ExampleStampsAndGeneralSekretessmarkeringAreGuidance) {
  ASSERT_NE(shipped_engine(), nullptr);
  const std::string filler(500, ' ');
  EXPECT_LE(scan("Utbildningsmaterial: sekretess i socialtjänsten" + filler +
                 "\nEn sekretessmarkering ska innehålla tre saker: lagrum, datum och "
                 "myndighet.\nExempel på korrekt stämpel i en utredning:\n    Sekretess enligt "
                 "26 kap. 1 § OSL\n")
                .info_class,
            1);
  EXPECT_LE(scan("Rutin vid hot och våld mot medarbetare" + filler +
                 "\nMedarbetare som hotats kan ansöka om sekretessmarkering hos Skatteverket.")
                .info_class,
            1);
  // A stamp after a sentence that mentions an example keeps its class.
  EXPECT_EQ(scan("Hej! Du hittar exempel på hur barnen uttrycker sig i bilaga 2.\nSekretess "
                 "enligt 26 kap. 1 § OSL\nUtredning om Elsas situation.")
                .info_class,
            3);
}

// A bid evaluation without its protocol word: bids received and their prices before the
// award; the tender notice that says bids are secret before the award stays below.
TEST(ShippedPolicy, InkomnaAnbudWithPricesBeforeAwardIsClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  EXPECT_EQ(scan("Sammanställning av inkomna anbud – skolskjuts\nAnbudsgivare A: anbudspris "
                 "2,1 mkr.\nAnbudsgivare B: anbudspris 2,4 mkr.\nTilldelningsbeslut har ännu "
                 "inte fattats.")
                .info_class,
            2);
  // The buyer's own mail, in plain words.
  EXPECT_EQ(scan("Hej Eva,\nVi öppnade anbuden på städningen i går. Städbolaget Glans AB ligger "
                 "lägst på 412 000 kr per år.\n/Peter, upphandlare")
                .info_class,
            2);
  EXPECT_LE(scan("Annons: upphandling av skolskjuts. Anbud ska lämnas senast 2026-12-01. "
                 "Inkomna anbud lämnas inte ut före tilldelningsbeslut. Anbudspriset anges i "
                 "bilaga 2.")
                .info_class,
            1);
}

// A citizen writing about her own diagnosis is health data about a person in one sentence; a
// health page that addresses the reader is not.
TEST(ShippedPolicy, APersonsOwnDiagnosisIsClassTwo) {
  ASSERT_NE(shipped_engine(), nullptr);
  const DocumentVerdict mail = scan(
      "Hej!\nJag fick diagnosen Parkinsons sjukdom förra året och har svårt att gå i trappor. "
      "Jag undrar om jag kan få hjälp med att ansöka om bostadsanpassning.\nMvh Eva");
  EXPECT_EQ(mail.info_class, 2);
  EXPECT_TRUE(fired(mail, "health-statement"));
  for (const auto& f : mail.findings) {
    EXPECT_EQ(f.masked.find("Jag fick"), std::string::npos) << f.masked;
  }
  EXPECT_LE(scan("Har du fått diagnosen diabetes? Om du har fått en diagnos kan du ansöka om "
                 "stöd. Många har fått diagnosen sent.")
                .info_class,
            1);
}

TEST(ShippedPolicy, ManyDistinctIdentifiersAreClassThree) {
  ASSERT_NE(shipped_engine(), nullptr);
  std::string list = "Deltagarlista\n";
  // Ten distinct Skatteverket test personnummer (open data "Testpersonnummer", 2017 series).
  for (const char* p :
       {"20170101-2393", "20170102-2384", "20170103-2391", "20170104-2382", "20170105-2399",
        "20170106-2380", "20170107-2397", "20170108-2388", "20170109-2395", "20170110-2384"}) {
    list += p;
    list += '\n';
  }
  const DocumentVerdict v = scan(list);
  EXPECT_EQ(v.info_class, 3);
  for (const auto& f : v.findings) {
    EXPECT_EQ(f.masked.substr(f.masked.size() - 4), "****") << "masked value leaks the serial";
  }
}

// A register exported from a case system: a heading row names the column once, and the numbers
// are bare 10-digit runs (as Excel keeps them). Only the first rows lie within 300 bytes of the
// heading; the rest of the column continues the confirmed list and counts too.
const std::vector<std::string>& register_numbers() {
  // Forty Skatteverket test personnummer (open data "Testpersonnummer", 2017 series), 10 digits.
  static const std::vector<std::string> numbers = {
      "1701012393", "1701022384", "1701032391", "1701042382", "1701052399", "1701062380",
      "1701072397", "1701082388", "1701092395", "1701102384", "1701112391", "1701122382",
      "1701132399", "1701142380", "1701152397", "1701162388", "1701172395", "1701182386",
      "1701192393", "1701202382", "1701212399", "1701222380", "1701232397", "1701242388",
      "1701252395", "1701262386", "1701272393", "1701282384", "1701292391", "1701302380",
      "1701312397", "1702012384", "1702022391", "1702032382", "1702042399", "1702052380",
      "1702062397", "1702072388", "1702082395", "1702092386",
  };
  return numbers;
}

// The findings of one rule (a register's names are findings too).
std::vector<Finding> of_rule(const DocumentVerdict& v, const std::string& rule) {
  std::vector<Finding> out;
  for (const auto& f : v.findings) {
    if (f.rule_id == rule) out.push_back(f);
  }
  return out;
}

TEST(ShippedPolicy, ARegisterOfBareNumbersUnderAHeadingIsClassThree) {
  ASSERT_NE(shipped_engine(), nullptr);
  std::string csv = "Namn;Personnummer;Klass;Mentor;Vårdnadshavare\n";
  for (const auto& n : register_numbers()) {
    csv += "Test Testsson;" + n + ";7B;Karin Ek;Anna Testsson, 070-000 00 00\n";
  }
  const DocumentVerdict v = scan(csv);
  EXPECT_EQ(v.info_class, 3);
  EXPECT_NE(std::find(v.conditions.begin(), v.conditions.end(), "bulk-person-identifiers"),
            v.conditions.end());
  int low = 0;
  const auto numbers = of_rule(v, "se.personnummer");
  for (const auto& f : numbers) low += f.confidence == Confidence::kLow;
  EXPECT_EQ(low, 0) << "every row under the heading continues the confirmed list";
  EXPECT_EQ(numbers.size(), register_numbers().size());
}

// The same numbers without a heading word stay unconfirmed, and a list broken by more than the
// context window (300 bytes) does not carry the confirmation across the gap.
TEST(ShippedPolicy, AListWithoutAHeadingOrWithAGapIsNotConfirmed) {
  ASSERT_NE(shipped_engine(), nullptr);
  std::string bare = "Namn;Nummer;Klass\n";
  for (const auto& n : register_numbers()) bare += "Test Testsson;" + n + ";7B\n";
  const DocumentVerdict unconfirmed = scan(bare);
  EXPECT_EQ(unconfirmed.info_class, 2);  // bulk-person-identifiers-unconfirmed
  for (const auto& f : of_rule(unconfirmed, "se.personnummer"))
    EXPECT_EQ(f.confidence, Confidence::kLow);

  std::string gap = "Personnummer: " + register_numbers()[0] + "\n" + std::string(400, ' ');
  for (std::size_t i = 1; i < 5; ++i) gap += "Nr " + register_numbers()[i] + "\n";
  const DocumentVerdict split = scan(gap);
  ASSERT_EQ(split.findings.size(), 5u);
  EXPECT_EQ(split.findings[0].confidence, Confidence::kHigh);
  for (std::size_t i = 1; i < 5; ++i) EXPECT_EQ(split.findings[i].confidence, Confidence::kLow);
}

TEST(ShippedPolicy, ExplainSaysAListContinuesAConfirmedNumber) {
  ASSERT_NE(shipped_engine(), nullptr);
  TextScanner ts(shipped_engine(), true);
  ts.begin_part("");
  // The first number is 250 bytes after the heading word, the second 100 bytes after the first.
  ts.text("Personnummer" + std::string(250, ' ') + register_numbers()[0] + std::string(100, ' ') +
          register_numbers()[1]);
  ts.end_part();
  const DocumentVerdict v = ts.finish();
  ASSERT_EQ(v.findings.size(), 2u);
  EXPECT_NE(v.findings[1].explanation.find("continues a list 100 bytes after a confirmed number"),
            std::string::npos)
      << v.findings[1].explanation;
}

}  // namespace
}  // namespace vakt
