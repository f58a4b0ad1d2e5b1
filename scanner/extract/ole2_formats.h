// The OLE2 document readers behind extract_ole2 (ole2_parser.cpp picks one per storage):
// Word 97-2003 piece tables, Excel BIFF5/8 records, PowerPoint records, Outlook .msg properties,
// the SummaryInformation property sets, and a strings fallback for anything else.
//
// Each reads already-extracted stream bytes (pure functions, bounded by the stream sizes) and
// writes to a DocOutput. Part names are prefixed with `prefix` (an embedded object's path).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "extract/isolation.h"
#include "extract/ole2_reader.h"

namespace vakt::extract {

// Little-endian reads that return 0 past the end.
std::uint16_t ole_u16(std::string_view b, std::size_t off);
std::uint32_t ole_u32(std::string_view b, std::size_t off);

// The ANSI code page of a Windows language id (LCID), 1252 when unknown.
int lcid_codepage(std::uint32_t lcid);

// Word: the WordDocument stream and both table streams (either may be empty). Returns false when
// the document is encrypted (fEncrypted) — the caller reports it.
bool word_is_encrypted(std::string_view word_stream);
// codepage_hint: the SummaryInformation code page (Word 6/95 8-bit text), 0 if unknown.
void parse_word(std::string_view word_stream, std::string_view table0, std::string_view table1,
                DocOutput& out, std::string_view prefix, int codepage_hint = 0);

// Excel BIFF8 (and BIFF5 labels): sheets as parts, SST strings, cells, numbers in full.
void parse_biff(std::string_view workbook, DocOutput& out, std::string_view prefix);
// Spreadsheet number → text without exponent for ordinary magnitudes (199906042388, 0.25).
std::string format_number(double v);

// PowerPoint: text atoms of the "PowerPoint Document" stream; "Current User" tells encryption.
void parse_ppt(std::string_view document, std::string_view current_user, DocOutput& out,
               std::string_view prefix);

// Outlook .msg: subject, sender, recipients, body, attachments (as children).
void parse_msg(const Ole2Reader& reader, const Ole2Node& storage, DocOutput& out,
               std::string_view prefix, int depth);

// SummaryInformation / DocumentSummaryInformation: "Title: …" lines appended to `text`.
void append_property_set(std::string_view stream, bool document_summary, std::string& text);
// The code page property (PID 1) of a property set's first section, 0 if absent.
int property_set_codepage(std::string_view stream);

// Printable runs (8-bit and UTF-16LE, at least 4 characters) of arbitrary bytes, one per line.
void append_strings(std::string_view bytes, std::string& text);

// Detects what an OLE2 storage holds and reads it (used for the root and embedded objects).
void parse_ole2_storage(const Ole2Reader& reader, const Ole2Node& storage, DocOutput& out,
                        std::string_view prefix, int depth);

// The ParseFn for run_parser: bytes of a compound file → text, children and outcomes.
void parse_ole2(std::string_view bytes, std::string_view name, DocOutput& out);

// Outlook's compressed RTF (LZFu, MS-OXRTFCP) → RTF bytes; empty on a bad header.
std::string decompress_rtf(std::string_view compressed, std::uint64_t max_bytes);

}  // namespace vakt::extract
