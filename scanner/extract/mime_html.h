// html_to_text: a small, bounded HTML → text converter for e-mail and Outlook HTML bodies.
//
// Tags removed (block tags become line breaks), <script>/<style>/<head> contents and comments
// skipped, character references (&amp; &#228; &#xE4; and the common named ones) decoded. The input
// must already be UTF-8. One linear pass, no DOM.
#pragma once

#include <string>
#include <string_view>

namespace vakt::extract {

std::string html_to_text(std::string_view html);

}  // namespace vakt::extract
