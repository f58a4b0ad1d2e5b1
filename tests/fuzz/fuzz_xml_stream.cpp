// libFuzzer target: arbitrary bytes through XmlStream, fed in chunks sized by the first byte, read
// both by the fast Office XML tokenizer and by expat. Never a crash; and a differential check:
// whatever expat reads, the fast tokenizer reads too, with the same elements, attributes and text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "extract/xml_stream.h"

namespace {

using vakt::extract::XmlAttrs;
using vakt::extract::XmlEngine;
using vakt::extract::XmlHandler;
using vakt::extract::XmlName;
using vakt::extract::XmlStream;

struct Log final : XmlHandler {
  std::string events;
  std::string run;
  void flush() {
    std::string t;
    for (std::size_t i = 0; i < run.size(); ++i) {
      if (run[i] == '\r') {
        t.push_back('\n');
        if (i + 1 < run.size() && run[i + 1] == '\n') ++i;
      } else {
        t.push_back(run[i]);
      }
    }
    if (!t.empty()) events += "T" + t + "\x02";
    run.clear();
  }
  void start(const XmlName& n, const XmlAttrs& a) override {
    flush();
    events += "<" + std::string(n.local);
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::string v(a.value(i));
      for (char& c : v) {
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
      }
      events += " " + std::string(a.local_name(i)) + "=" + v + "\x02";
    }
  }
  void end(const XmlName& n) override {
    flush();
    events += "</" + std::string(n.local);
  }
  void text(std::string_view s) override { run.append(s); }
};

bool parse(std::string_view xml, XmlEngine engine, std::size_t chunk, Log& log, bool& expat) {
  XmlStream s(log, engine);
  bool ok = true;
  for (std::size_t i = 0; i < xml.size() && ok; i += chunk) ok = s.feed(xml.substr(i, chunk)).ok();
  if (ok) ok = s.finish().ok();
  log.flush();
  expat = s.using_expat();
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 97;
  const std::string_view xml(reinterpret_cast<const char*>(data + 1), size - 1);
  Log ref;
  Log fast;
  bool ref_expat = false;
  bool fast_expat = false;
  const bool ref_ok = parse(xml, XmlEngine::kExpat, 4096, ref, ref_expat);
  const bool fast_ok = parse(xml, XmlEngine::kAuto, chunk, fast, fast_expat);
  if (ref_ok && !fast_expat && (!fast_ok || fast.events != ref.events)) __builtin_trap();
  return 0;
}
