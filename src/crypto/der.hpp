#pragma once
/// A small DER writer (X.690): just enough to emit the CMS of a PAdES signature and an
/// RFC 3161 request byte for byte (shared/reference/standards.md §3.2). Each function returns
/// the complete encoding of one value; a constructed value takes its elements' encodings.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pratu::crypto::der {

/// Universal tags used here.
inline constexpr std::uint8_t kBoolean = 0x01;
inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kNull = 0x05;
inline constexpr std::uint8_t kObjectIdentifier = 0x06;
inline constexpr std::uint8_t kSequence = 0x30;
inline constexpr std::uint8_t kSet = 0x31;

/// Tag, definite length (short or long form) and `content`.
std::string tlv(std::uint8_t tag, std::string_view content);

/// SEQUENCE of the already encoded `elements`, in their order.
std::string sequence(const std::vector<std::string>& elements);

/// SET OF the already encoded `elements`, sorted by their encodings as DER requires.
std::string set_of(std::vector<std::string> elements);

/// The content octets of set_of(elements): the sorted encodings, concatenated, for a
/// [n] IMPLICIT SET OF.
std::string set_of_content(std::vector<std::string> elements);

/// OBJECT IDENTIFIER from dotted text ("1.2.840.113549.1.7.2"). Throws std::invalid_argument
/// on text that is not an OID: OIDs here are constants, so that is a programming error.
std::string oid(std::string_view dotted);

/// INTEGER of a non-negative value.
std::string integer(std::uint64_t value);

/// INTEGER whose value is the unsigned big-endian `magnitude` (a serial number, a nonce):
/// leading zero octets dropped, one added when the high bit is set.
std::string unsigned_integer(std::string_view magnitude);

/// OCTET STRING.
std::string octet_string(std::string_view bytes);

/// NULL.
std::string null();

/// BOOLEAN (TRUE is 0xFF).
std::string boolean(bool value);

/// [n] EXPLICIT around the encoded `inner` (constructed, context-specific).
std::string explicit_tag(int n, std::string_view inner);

/// [n] IMPLICIT constructed with the given content octets (a SEQUENCE's or SET's content).
std::string implicit_constructed(int n, std::string_view content);

}  // namespace pratu::crypto::der
