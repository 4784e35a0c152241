#pragma once
/// The tus 1.0 protocol's headers, and what a file is by its content: parsers of untrusted
/// input, with no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pratu::applications::tus {

/// The protocol version spoken, for Tus-Resumable and Tus-Version.
inline constexpr std::string_view kVersion = "1.0.0";
/// The extensions offered, for Tus-Extension.
inline constexpr std::string_view kExtensions = "creation,termination,expiration";
/// The media type of a PATCH body.
inline constexpr std::string_view kPatchContentType = "application/offset+octet-stream";

/// One Upload-Metadata pair; a key may come without a value.
struct MetadataPair {
  std::string key;
  std::string value;  // decoded from base64
};

/// Parses Upload-Metadata ("key base64,key2 base64,flag"): nullopt when a key is empty, holds
/// a space or comma, repeats, or its value is not valid base64.
std::optional<std::vector<MetadataPair>> parse_metadata(std::string_view header);

/// Parses Upload-Offset or Upload-Length: decimal digits only, no sign, fits in int64.
std::optional<std::int64_t> parse_size(std::string_view header);

/// A file's kind, by its first bytes.
enum class Kind { pdf, jpeg, png };

/// What the first bytes of a file say it is; nullopt for anything else.
std::optional<Kind> sniff(std::string_view head);

/// The media type of `kind` ("application/pdf").
std::string_view media_type(Kind kind);

/// Bytes of a file's start that sniff() needs.
inline constexpr std::size_t kSniffBytes = 8;

}  // namespace pratu::applications::tus
