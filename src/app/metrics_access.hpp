#pragma once
/// Who may read /metrics: the figures tell an outsider how busy each route is and how the
/// database behaves, so they are for operators only.

#include <string>
#include <string_view>

#include "web/message.hpp"

namespace pratu::app {

/// With no `token` configured, only requests from this machine (127.0.0.0/8, ::1) may read
/// the metrics; with one, any address that sends `Authorization: Bearer <token>` may.
bool metrics_allowed(const web::Request& request, std::string_view token);

/// Whether `address` (as text) is a loopback address, IPv4, IPv6 or IPv4-mapped.
bool is_loopback_address(std::string_view address);

}  // namespace pratu::app
