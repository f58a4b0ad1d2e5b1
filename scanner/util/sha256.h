// The scanner's SHA-256 / HMAC-SHA256 (declared in the public vakt/scanner/sha256.h; kept here so
// internal code includes "util/sha256.h" as before).
#pragma once

#include "vakt/scanner/sha256.h"
