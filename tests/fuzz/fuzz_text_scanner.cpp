// libFuzzer target: arbitrary bytes (not necessarily UTF-8) through the real engine with the
// embedded rules, cut into chunks by the first input byte — never a crash, never a clear value
// in a masked field.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "vakt/scanner/engine.h"
#include "vakt/scanner/text_scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::shared_ptr<const vakt::Engine> engine = [] {
    auto e = vakt::Engine::load(vakt::EngineOptions{});
    if (!e) __builtin_trap();
    return e.value();
  }();
  static vakt::TextScanner scanner(engine, /*explain=*/true);
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  scanner.begin_part("");
  for (std::size_t i = 0; i < text.size(); i += chunk) scanner.text(text.substr(i, chunk));
  scanner.end_part();
  auto v = scanner.finish();
  for (const auto& f : v.findings) {
    if (f.rule_id.rfind("se.personnummer", 0) == 0 && f.masked.find("****") == std::string::npos) {
      __builtin_trap();
    }
  }
  return 0;
}
