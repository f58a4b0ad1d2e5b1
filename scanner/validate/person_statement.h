// Sentences that say a particular person has protected personal data: "Sara har skyddad
// identitet", "Barnet har sekretessmarkering", "hon fick skyddade personuppgifter". Guidance
// says the same in general ("Om eleven har skyddad identitet ska …", "Alla har rätt …"), so the
// rule's pattern also takes a conditional word in front, and this validator turns it away.
//
//   validate_protected_identity_statement("Sara har skyddad identitet", ctx)
//       -> valid, masked "S*** har skyddad identitet" (the subject may be a name)
//   validate_protected_identity_statement("Om barnet har skyddad identitet", ctx)
//       -> rejected: "conditional clause"
//   validate_protected_identity_statement("Många har skyddad identitet", ctx)
//       -> rejected: "general subject"
#pragma once

#include <string_view>

#include "validate/validator.h"

namespace vakt::validate {

Validation validate_protected_identity_statement(std::string_view match,
                                                 const ValidatorContext& ctx);

// The same for health ("Jag fick diagnosen …", "Hon har fått behandling för …"), where "du" and
// "ni" are turned away in any position too: health pages address the reader ("Du har fått en
// diagnos och undrar …"), while a letter telling one person of their protected identity is rare
// and still about that person.
Validation validate_health_statement(std::string_view match, const ValidatorContext& ctx);

}  // namespace vakt::validate
