#pragma once
/// A person's own file (an uploaded document) shown in the browser: its bytes as stored, with
/// headers that keep a hostile file (a PDF with script, a picture that is also HTML) from
/// acting as a page of the site.

#include <string>
#include <string_view>

#include "web/message.hpp"

namespace pratu::web {

/// The policy a shown file runs under: a sandbox (a unique origin, no script, no forms, no
/// plugins' reach into the site), nothing loaded, never framed.
inline constexpr std::string_view kFileCsp = "sandbox; default-src 'none'; frame-ancestors 'none'";

/// Percent-encodes `name` as an RFC 8187 ext-value: `UTF-8''` and the escaped bytes.
std::string rfc8187_value(std::string_view name);

/// The file at `path` (streamed from disk by the transport, a Range answered) as a file of
/// `media_type` to show inline under `filename` (omitted when empty): sandboxed, never
/// sniffed, never cached, not embeddable by other sites, no Referer from it.
Response file_response(std::string path, std::string_view media_type, std::string_view filename);

}  // namespace pratu::web
