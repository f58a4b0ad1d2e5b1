// html_to_text: e-mail and Outlook HTML bodies to text, with the streaming HTML tokenizer that
// reads .html files (html.cpp): tags dropped (block tags become line breaks, cells tabs),
// script/style skipped, character references decoded, the attributes people read (alt, title …)
// kept. The input must already be UTF-8. One linear pass, no DOM.
#pragma once

#include <string>
#include <string_view>

namespace vakt::extract {

std::string html_to_text(std::string_view html);

}  // namespace vakt::extract
