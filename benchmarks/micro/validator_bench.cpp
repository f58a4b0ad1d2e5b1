// Cost of one validator call per candidate, as the confirm step pays it for every Hyperscan hit
// that survives the boundary checks: a valid personnummer (10 and 12 digits, Unicode dash), a
// candidate with a bad check digit (the common case for random digit runs), a samordningsnummer,
// an organisationsnummer seen by the personnummer validator, and the financial validators.
//
//   build/benchmarks/validator_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <string_view>

#include "validate/validator.h"

namespace {

const vakt::validate::ValidatorContext kCtx{vakt::CivilDate{2026, 11, 27}};

void run(benchmark::State& state, std::string_view validator, std::string_view candidate) {
  const auto fn = vakt::validate::find_validator(validator);
  if (fn == nullptr) {
    state.SkipWithError("unknown validator");
    return;
  }
  for (auto _ : state) {
    auto v = fn(candidate, kCtx);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_PersonnummerValid10(benchmark::State& s) {
  run(s, "personnummer", "990604-2388");
}
void BM_PersonnummerValid12(benchmark::State& s) {
  run(s, "personnummer", "19990604-2388");
}
void BM_PersonnummerBare(benchmark::State& s) {
  run(s, "personnummer", "9906042388");
}
void BM_PersonnummerEnDash(benchmark::State& s) {
  run(s, "personnummer",
      "990604\xE2\x80\x93"
      "2388");
}
void BM_PersonnummerBadChecksum(benchmark::State& s) {
  run(s, "personnummer", "990604-2389");
}
void BM_PersonnummerImpossibleDate(benchmark::State& s) {
  run(s, "personnummer", "990230-2380");
}
void BM_PersonnummerSeesOrgnr(benchmark::State& s) {
  run(s, "personnummer", "212000-0142");
}
void BM_Samordningsnummer(benchmark::State& s) {
  run(s, "samordningsnummer", "701063-2391");
}
void BM_Samordningsnummer12(benchmark::State& s) {
  run(s, "samordningsnummer", "19701063-2391");
}
void BM_Organisationsnummer(benchmark::State& s) {
  run(s, "organisationsnummer", "16212000-0142");
}
void BM_PaymentCard(benchmark::State& s) {
  run(s, "payment_card", "4111 1111 1111 1111");
}
void BM_Iban(benchmark::State& s) {
  run(s, "iban", "SE45 5000 0000 0583 9825 7466");
}
void BM_SeBankAccount(benchmark::State& s) {
  run(s, "se_bank_account", "8327-9, 014 725 892-5");
}
void BM_Bankgiro(benchmark::State& s) {
  run(s, "bankgiro", "5050-1055");
}

BENCHMARK(BM_PersonnummerValid10);
BENCHMARK(BM_PersonnummerValid12);
BENCHMARK(BM_PersonnummerBare);
BENCHMARK(BM_PersonnummerEnDash);
BENCHMARK(BM_PersonnummerBadChecksum);
BENCHMARK(BM_PersonnummerImpossibleDate);
BENCHMARK(BM_PersonnummerSeesOrgnr);
BENCHMARK(BM_Samordningsnummer);
BENCHMARK(BM_Samordningsnummer12);
BENCHMARK(BM_Organisationsnummer);
BENCHMARK(BM_PaymentCard);
BENCHMARK(BM_Iban);
BENCHMARK(BM_SeBankAccount);
BENCHMARK(BM_Bankgiro);

}  // namespace

BENCHMARK_MAIN();
