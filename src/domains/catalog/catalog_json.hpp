#pragma once
/// The catalogue as JSON: stored as each row's document and served by the API.

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "domains/catalog/catalog.hpp"

namespace pratu::catalog {

/// {th, en}.
boost::json::object to_json(const LocalizedText& text);

/// An agency: code, name, short_name, description, website, contact {phone, email, address}.
boost::json::object to_json(const Agency& agency);

/// A service as in its file (amounts in satang and baht), plus the computed `level` ("L2")
/// and `criteria` [{criterion, level, status}].
boost::json::object to_json(const Service& service);

/// Reads back what `to_json(const Agency&)` wrote; fails (internal) naming what is missing.
Result<Agency> agency_from_json(const boost::json::value& json);

/// Reads back what `to_json(const Service&)` wrote (the computed fields are ignored).
Result<Service> service_from_json(const boost::json::value& json);

}  // namespace pratu::catalog
