// The `csv` format, made for Excel with Swedish settings:
// - UTF-8 with a byte-order mark, so å, ä and ö open right;
// - ';' between fields (Swedish Excel uses ',' as the decimal comma and expects ';');
// - RFC 4180: CRLF line ends, fields with ';', '"', CR or LF quoted, '"' doubled;
// - a text field starting with = + - @ or TAB gets a leading apostrophe, so a crafted file name
//   cannot run as a formula (OWASP "CSV injection");
// - other control characters (NUL, ESC …) are written as \xHH.
// Columns: path;status;reason;type;size;class;class_name;rule;rule_class;confidence;masked;
//          pseudonym;part;line;offset — one row per finding, one row (rule empty) for a file
//          without findings.
#include <string>
#include <string_view>

#include "cli/scan_output.h"

namespace vakt::cli {
namespace {

constexpr char kSeparator = ';';

std::string csv_field(std::string_view value) {
  // Control characters other than TAB, CR and LF (a NUL from a broken .msg member name, an
  // escape sequence) are written as \xHH: Excel and scripts reading the file choke on them.
  std::string v;
  v.reserve(value.size());
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      v += "\\x";
      v += kHex[u >> 4];
      v += kHex[u & 0xF];
    } else {
      v += c;
    }
  }
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v.insert(v.begin(), '\'');
  }
  if (v.find_first_of(std::string{kSeparator, '"', '\r', '\n'}) == std::string::npos) return v;
  std::string quoted = "\"";
  for (char c : v) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

class CsvPrinter final : public ScanPrinter {
 public:
  CsvPrinter(std::ostream& out, const PrintOptions& options) : out_(out) { (void)options; }

  void begin() override {
    out_ << "\xEF\xBB\xBF";
    row({"path", "status", "reason", "type", "size", "class", "class_name", "rule", "rule_class",
         "confidence", "masked", "pseudonym", "part", "line", "offset"});
  }

  void result(const ScanResult& r) override {
    std::vector<std::string> file{csv_field(r.path),
                                  csv_field(to_string(r.status)),
                                  csv_field(r.reason),
                                  csv_field(r.type),
                                  std::to_string(r.size),
                                  has_class(r) ? std::to_string(r.info_class) : "",
                                  has_class(r) ? csv_field(r.class_name) : ""};
    if (r.findings.empty()) {
      auto cells = file;
      cells.resize(15);
      row(cells);
    }
    for (const auto& f : r.findings) {
      auto cells = file;
      cells.push_back(csv_field(f.rule_id));
      cells.push_back(std::to_string(f.rule_class));
      cells.push_back(csv_field(to_string(f.confidence)));
      cells.push_back(csv_field(f.masked));
      cells.push_back(csv_field(f.pseudonym));
      cells.push_back(csv_field(f.part));
      cells.push_back(std::to_string(f.line));
      cells.push_back(std::to_string(f.offset));
      row(cells);
    }
    out_.flush();
  }

 private:
  void row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out_ << kSeparator;
      out_ << cells[i];
    }
    out_ << "\r\n";
  }

  std::ostream& out_;
};

}  // namespace

std::unique_ptr<ScanPrinter> make_csv_printer(std::ostream& out, const PrintOptions& options) {
  return std::make_unique<CsvPrinter>(out, options);
}

}  // namespace vakt::cli
