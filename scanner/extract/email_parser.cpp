// E-mail and mbox; see email_parser.h.
#include "extract/email_parser.h"

#include <map>
#include <string>
#include <vector>

#include "extract/mime_charset.h"
#include "extract/mime_decode.h"
#include "extract/mime_html.h"

namespace vakt::extract {
namespace {

constexpr int kMaxDepth = 32;
constexpr int kMaxParts = 10000;

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return o;
}

std::string trimmed_lower(std::string_view s) {
  std::string o = lower(s);
  while (!o.empty() && (o.back() == ' ' || o.back() == '\t' || o.back() == '"')) o.pop_back();
  std::size_t i = 0;
  while (i < o.size() && (o[i] == ' ' || o[i] == '\t' || o[i] == '"')) ++i;
  return o.substr(i);
}

// Body parts of a multipart entity: the text between "--boundary" lines up to "--boundary--".
std::vector<std::string_view> split_multipart(std::string_view body, const std::string& boundary) {
  std::vector<std::string_view> parts;
  std::string delim = "--" + boundary;
  std::size_t pos = 0;
  std::size_t start = std::string_view::npos;
  while (pos <= body.size()) {
    std::size_t eol = body.find('\n', pos);
    std::size_t line_end = eol == std::string_view::npos ? body.size() : eol;
    std::string_view line = body.substr(pos, line_end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (starts_with(line, delim)) {
      std::string_view rest = line.substr(delim.size());
      bool closing = starts_with(rest, "--");
      // A longer boundary that merely starts with ours is not ours.
      bool ours = closing || rest.find_first_not_of(" \t") == std::string_view::npos;
      if (ours) {
        if (start != std::string_view::npos) {
          std::size_t end = pos;
          // The CRLF before the delimiter belongs to the delimiter.
          if (end > start && body[end - 1] == '\n') --end;
          if (end > start && body[end - 1] == '\r') --end;
          parts.push_back(body.substr(start, end - start));
        }
        if (closing) return parts;
        start = eol == std::string_view::npos ? body.size() : eol + 1;
      }
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  if (start != std::string_view::npos && start < body.size()) parts.push_back(body.substr(start));
  return parts;
}

class MailReader {
 public:
  MailReader(DocOutput& out) : out_(out) {}

  void message(std::string_view bytes, const std::string& prefix, int depth) {
    std::string_view body;
    std::vector<Header> headers = parse_headers(bytes, &body);
    std::string text;
    static constexpr std::pair<std::string_view, std::string_view> kShown[] = {
        {"subject", "Subject"}, {"from", "From"},
        {"to", "To"},           {"cc", "Cc"},
        {"bcc", "Bcc"},         {"reply-to", "Reply-To"},
        {"sender", "Sender"},   {"disposition-notification-to", "Disposition-Notification-To"}};
    for (const auto& [key, label] : kShown) {
      for (const auto& h : headers) {
        if (h.name == key)
          text.append(label).append(": ").append(decode_rfc2047(h.value)).append("\n");
      }
    }
    if (!text.empty()) {
      out_.begin_part(prefix + "headers");
      out_.text(text);
      out_.end_part();
    }
    entity(headers, body, prefix, depth);
  }

 private:
  void entity(const std::vector<Header>& headers, std::string_view body, const std::string& prefix,
              int depth) {
    if (out_.stopped()) return;
    if (++parts_ > kMaxParts) {
      if (parts_ == kMaxParts + 1) out_.partial("email: too many MIME parts");
      return;
    }
    if (depth > kMaxDepth) {
      out_.partial("email: MIME nesting too deep");
      return;
    }
    std::string ct_raw = header_value(headers, "content-type");
    ContentType ct = parse_content_type(ct_raw);
    if (ct_raw.empty()) ct.type = "text/plain";
    ContentType disp = parse_content_type(header_value(headers, "content-disposition"));
    bool has_disposition = !header_value(headers, "content-disposition").empty();
    std::string filename = disp.param("filename");
    if (filename.empty()) filename = ct.param("name");
    std::string cte = transfer_encoding(header_value(headers, "content-transfer-encoding"));
    if (!known_transfer_encoding(cte)) {
      // Passed through as it is (some text may still read), but never reported as fully read.
      out_.partial("email: unknown transfer encoding " + cte.substr(0, 32));
    }

    if (starts_with(ct.type, "multipart/")) {
      if (ct.type == "multipart/encrypted") {
        out_.partial(lower(ct.param("protocol")).find("pkcs7") != std::string::npos
                         ? "encrypted content: S/MIME"
                         : "encrypted content: PGP");
        return;
      }
      std::string boundary = ct.param("boundary");
      std::vector<std::string_view> parts;
      if (!boundary.empty()) parts = split_multipart(body, boundary);
      if (parts.empty()) {
        body_text(body, "text/plain", ct.param("charset"), cte, prefix);
        if (!boundary.empty()) out_.partial("email: multipart without its boundary");
        return;
      }
      // Every alternative is read, multipart/alternative included: the plain text part may be a
      // stub ("see the HTML version") while the HTML one carries the content.
      for (std::string_view part : parts) {
        std::string_view b;
        auto h = parse_headers(part, &b);
        entity(h, b, prefix, depth + 1);
      }
      return;
    }

    if (ct.type == "application/pkcs7-mime" || ct.type == "application/x-pkcs7-mime") {
      std::string smime = lower(ct.param("smime-type"));
      if (smime == "signed-data") {
        out_.partial("S/MIME signed content not read");
      } else {
        out_.partial("encrypted content: S/MIME");
      }
      return;
    }
    if (ct.type == "application/pkcs7-signature" || ct.type == "application/x-pkcs7-signature" ||
        ct.type == "application/pgp-signature") {
      return;  // a signature carries no content
    }
    if (ct.type == "application/pgp-encrypted") return;  // the PGP/MIME version part

    std::string decoded = decode(body, cte);
    if (ct.type == "message/rfc822" || ct.type == "message/global") {
      ++messages_;
      std::string name = filename.empty() ? "message " + std::to_string(messages_) : filename;
      message(decoded, prefix + name + "/", depth + 1);
      return;
    }
    bool attachment = lower(disp.type) == "attachment" && has_disposition;
    bool texty = starts_with(ct.type, "text/") || ct.type == "message/delivery-status";
    if (texty && !attachment &&
        (filename.empty() || ct.type == "text/plain" || ct.type == "text/html")) {
      body_text(decoded, ct.type, ct.param("charset"), "binary", prefix);
      return;
    }
    ++attachments_;
    std::string name = filename.empty() ? "attachment " + std::to_string(attachments_) : filename;
    out_.child(decoded, prefix + name);
  }

  // "base64 (encoded by x)" and "BASE64; x=y" name base64: the first token, comments dropped.
  static std::string transfer_encoding(std::string_view raw) {
    std::string plain;
    int comment = 0;
    for (char c : raw) {
      if (c == '(') {
        ++comment;
      } else if (c == ')' && comment > 0) {
        --comment;
      } else if (comment == 0) {
        plain.push_back(c);
      }
    }
    std::string v = trimmed_lower(plain);
    if (v.starts_with("quoted printable")) return "quoted printable";  // a known misspelling
    return v.substr(0, v.find_first_of("; \t\r\n"));
  }

  static bool known_transfer_encoding(const std::string& cte) {
    // "7-bit", "8bits": spellings mail software writes and readers take as 7bit/8bit.
    for (const char* known : {"", "7bit", "8bit", "7-bit", "8-bit", "7bits", "8bits", "binary",
                              "base64", "quoted-printable", "quoted printable", "x-uuencode",
                              "uuencode", "x-uue"}) {
      if (cte == known) return true;
    }
    return false;
  }

  static std::string decode(std::string_view body, const std::string& cte) {
    if (cte == "base64") return decode_base64(body);
    if (cte == "x-uuencode" || cte == "uuencode" || cte == "x-uue") return decode_uuencode(body);
    if (cte == "quoted-printable" || cte == "quoted printable")
      return decode_quoted_printable(body);
    return std::string(body);
  }

  void body_text(std::string_view raw, const std::string& type, const std::string& charset,
                 const std::string& cte, const std::string& prefix) {
    std::string bytes = decode(raw, cte);
    if (bytes.find("-----BEGIN PGP MESSAGE-----") != std::string::npos) {
      out_.partial("encrypted content: PGP");
    }
    std::string text = charset_to_utf8(bytes, charset);
    if (type == "text/html") text = html_to_text(text);
    bool visible = text.find_first_not_of(" \t\r\n") != std::string::npos;
    if (!visible) return;
    int n = ++bodies_[prefix];
    out_.begin_part(prefix + (n == 1 ? std::string("body") : "body " + std::to_string(n)));
    out_.text(text);
    out_.end_part();
  }

  DocOutput& out_;
  int parts_ = 0;
  int attachments_ = 0;
  int messages_ = 0;
  std::map<std::string, int> bodies_;  // per message prefix
};

}  // namespace

void parse_eml(std::string_view bytes, std::string_view /*name*/, DocOutput& out) {
  // Apple Mail .emlx: a first line with the message length in bytes, then the message.
  std::size_t eol = bytes.find('\n');
  if (eol != std::string_view::npos && eol > 0 && eol < 12) {
    std::string_view first = bytes.substr(0, eol);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    if (!first.empty() && first.find_first_not_of("0123456789 ") == std::string_view::npos) {
      bytes.remove_prefix(eol + 1);
    }
  }
  MailReader reader(out);
  reader.message(bytes, "", 0);
}

void parse_mbox(std::string_view bytes, std::string_view /*name*/, DocOutput& out) {
  // Messages start at a "From " line at the top of the file or after an empty line.
  std::vector<std::size_t> starts;
  std::size_t pos = 0;
  bool prev_empty = true;
  while (pos < bytes.size()) {
    std::size_t eol = bytes.find('\n', pos);
    std::size_t line_end = eol == std::string_view::npos ? bytes.size() : eol;
    std::string_view line = bytes.substr(pos, line_end - pos);
    if (prev_empty && starts_with(line, "From ")) starts.push_back(pos);
    prev_empty = line.empty() || line == "\r";
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  if (starts.empty()) {
    out.partial("mbox: no \"From \" separator lines; read as one message");
    parse_eml(bytes, "", out);
    return;
  }
  for (std::size_t k = 0; k < starts.size() && !out.stopped(); ++k) {
    std::size_t begin = starts[k];
    std::size_t end = k + 1 < starts.size() ? starts[k + 1] : bytes.size();
    std::string_view msg = bytes.substr(begin, end - begin);
    std::size_t first_eol = msg.find('\n');
    msg = first_eol == std::string_view::npos ? std::string_view() : msg.substr(first_eol + 1);
    MailReader reader(out);
    reader.message(msg, "message " + std::to_string(k + 1) + "/", 0);
  }
}

}  // namespace vakt::extract
