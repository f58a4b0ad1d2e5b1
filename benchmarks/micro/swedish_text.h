// Generated Swedish municipal text for the matcher benchmarks (matcher_bench, matcher_ir): meeting
// and case notes from a fixed seed, with Skatteverket test personnummer (about one per 2 KB) and
// hard negatives, or the same prose with no numbers at all (the matcher's floor).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace vakt::bench {

constexpr std::size_t kGeneratedBytes = 16u << 20;

constexpr std::array<std::string_view, 12> kSentences = {
    "Mötet öppnades och dagordningen fastställdes utan ändringar. ",
    "Anmälan har inkommit från skolan avseende eleven i årskurs fem. ",
    "Förhandsbedömning ska göras skyndsamt och senast inom fjorton dagar. ",
    "Medarbetaren har varit sjukskriven på heltid sedan början av året. ",
    "Upphandlingen avser ramavtal för skolmåltider med option på förlängning. ",
    "Budgetuppföljningen visar ett mindre underskott för vikarier. ",
    "Nämnden beslutade att bevilja insatsen enligt förvaltningens förslag. ",
    "Ett rehabiliteringsmöte hölls med företagshälsovården och Försäkringskassan. ",
    "Frågor om utlämnande av allmän handling besvaras av registraturen. ",
    "Samverkan med regionen fungerar väl enligt de senaste uppföljningarna. ",
    "Leverantören ska kunna leverera till samtliga skolor inom kommunen. ",
    "Handläggningstiderna har minskat jämfört med samma period förra året. "};

// Skatteverket test numbers only (see /work/shared/docs/personnummer.md), in varied forms.
constexpr std::array<std::string_view, 8> kIdentities = {
    "Personnummer: 19990604-2388. ",
    "Pnr 191212121212 enligt folkbokföringen. ",
    "Den enskildes personnummer är 640823-3234. ",
    "Barnets personnr: 2601049030 ",
    "Samordningsnummer: 701063-2391. ",
    "personnummer 19640823-3234 ",
    "Pnr 990604-2388. ",
    "Personnummer 192601049030. "};

constexpr std::array<std::string_view, 5> kNegatives = {
    "Organisationsnummer 212000-0142. ", "Telefon 070-123 45 67. ", "Fakturanummer 40917733. ",
    "Referens 41999060423881. ", "OCR-nummer 5566778899001. "};

inline std::string generate_text(bool with_numbers, std::size_t bytes = kGeneratedBytes) {
  std::uint64_t state = 0x9e3779b97f4a7c15ull;  // fixed seed: every run scans the same bytes
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::string text;
  text.reserve(bytes + 512);
  std::size_t since_id = 0;
  while (text.size() < bytes) {
    std::string_view s = kSentences[next() % kSentences.size()];
    text += s;
    since_id += s.size();
    if (with_numbers && since_id > 2048) {
      text += kIdentities[next() % kIdentities.size()];
      since_id = 0;
    }
    if (with_numbers && next() % 16 == 0) text += kNegatives[next() % kNegatives.size()];
    if (next() % 6 == 0) text += '\n';
  }
  return text;
}

}  // namespace vakt::bench
