#include "domains/applications/upload_api.hpp"

#include <boost/json.hpp>

#include <ctime>

#include "domains/applications/tus.hpp"
#include "web/dates.hpp"
#include "web/file_response.hpp"
#include "web/problem.hpp"

namespace pratu::applications {

namespace json = boost::json;

namespace {

constexpr std::string_view kUploads = "/api/v1/uploads";

Error tus_error(ErrorCode code, std::string key, std::string detail) {
  return Error{code, std::move(key), std::move(detail), {}, 0};
}

// Every tus answer says which protocol it speaks.
web::Response tus_response(int status) {
  web::Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.set_header("Tus-Resumable", std::string(tus::kVersion));
  return response;
}

// An IMF-fixdate (RFC 9110), as Upload-Expires is written.
std::string http_date(std::int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[40];
  const auto n = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text, n);
}

// A request that speaks another version of tus (or none) is refused.
std::optional<Error> wrong_version(const web::Request& request) {
  if (request.header("Tus-Resumable") == tus::kVersion) return std::nullopt;
  return tus_error(ErrorCode::precondition_failed, "applications.uploads.version", "Tus-Resumable");
}

void describe(web::Response& response, const UploadState& state) {
  response.set_header("Upload-Offset", std::to_string(state.offset));
  response.set_header("Upload-Length", std::to_string(state.record.length));
  if (state.record.sha256.empty()) {
    response.set_header("Upload-Expires", http_date(state.record.expires_at));
  }
  response.set_header("Cache-Control", "no-store");
}

}  // namespace

UploadApi::UploadApi(UploadService& service, const web::Translations& translations)
    : service_(service), translations_(translations) {}

Result<web::Response> UploadApi::refuse(const web::RequestContext& context,
                                        const Error& error) const {
  if (error.code == ErrorCode::internal || error.code == ErrorCode::unavailable ||
      error.code == ErrorCode::unauthorized || error.code == ErrorCode::forbidden) {
    return error;
  }
  auto response = web::problem(translations_, context, error);
  response.set_header("Tus-Resumable", std::string(tus::kVersion));
  return response;
}

Result<web::Response> UploadApi::options(const web::Request&, web::RequestContext&) {
  auto response = tus_response(204);
  response.set_header("Tus-Version", std::string(tus::kVersion));
  response.set_header("Tus-Extension", std::string(tus::kExtensions));
  response.set_header("Tus-Max-Size", std::to_string(service_.max_size()));
  return response;
}

Result<web::Response> UploadApi::create(const web::Request& request, web::RequestContext& context) {
  if (auto wrong = wrong_version(request)) return refuse(context, *wrong);
  if (!request.header("Upload-Defer-Length").empty()) {
    return refuse(context, tus_error(ErrorCode::invalid_input, "applications.uploads.length",
                                     "Upload-Defer-Length"));
  }
  const auto length = tus::parse_size(request.header("Upload-Length"));
  if (!length) {
    return refuse(context,
                  tus_error(ErrorCode::invalid_input, "applications.uploads.length", "length"));
  }
  if (*length > service_.max_size()) {
    return refuse(context,
                  tus_error(ErrorCode::too_large, "applications.uploads.too_large", "length"));
  }
  const auto metadata = tus::parse_metadata(request.header("Upload-Metadata"));
  if (!metadata) {
    return refuse(context,
                  tus_error(ErrorCode::invalid_input, "applications.uploads.metadata", "metadata"));
  }
  NewUpload upload{*length, {}, {}};
  for (const auto& pair : *metadata) {
    if (pair.key == "filename") upload.filename = pair.value.substr(0, 255);
    if (pair.key == "filetype") upload.filetype = pair.value.substr(0, 255);
  }
  auto created = service_.create(context.user->user_id, upload);
  if (!created) return refuse(context, created.error());
  auto response = tus_response(201);
  response.set_header("Location", std::string(kUploads) + "/" + created->public_id);
  response.set_header("Upload-Expires", http_date(created->expires_at));
  return response;
}

Result<web::Response> UploadApi::head(const web::Request& request, web::RequestContext& context) {
  if (auto wrong = wrong_version(request)) return refuse(context, *wrong);
  auto state = service_.status(context.user->user_id, request.path_param("id"));
  if (!state) return refuse(context, state.error());
  auto response = tus_response(200);
  describe(response, *state);
  // A finished upload names the wallet document it became, as its last PATCH did: a client
  // whose answer to that PATCH was lost learns it here.
  if (!state->record.sha256.empty()) {
    PRATU_TRY(held, service_.document_with_blob(context.user->user_id, state->record.sha256));
    if (held) response.set_header("Upload-Document", held->public_id);
  }
  return response;
}

Result<std::variant<web::PartialUpload, web::Response>> UploadApi::append_to(
    const web::Request& request, web::RequestContext& context) {
  using Answer = std::variant<web::PartialUpload, web::Response>;
  auto refusal = [&](const Error& error) -> Result<Answer> {
    PRATU_TRY(response, refuse(context, error));
    return Answer(std::move(response));
  };
  if (auto wrong = wrong_version(request)) return refusal(*wrong);
  if (request.header("Content-Type") != tus::kPatchContentType) {
    return refusal(tus_error(ErrorCode::unsupported_media_type, "applications.uploads.content_type",
                             "Content-Type"));
  }
  const auto offset = tus::parse_size(request.header("Upload-Offset"));
  if (!offset) {
    return refusal(
        tus_error(ErrorCode::invalid_input, "applications.uploads.offset", "Upload-Offset"));
  }
  auto target = service_.append_target(context.user->user_id, request.path_param("id"), *offset);
  if (!target) return refusal(target.error());
  // A body that says it would pass Upload-Length is refused before any of it is stored.
  if (const auto sent = tus::parse_size(request.header("Content-Length"));
      sent && *sent > target->limit_bytes - target->offset) {
    return refusal(
        tus_error(ErrorCode::too_large, "applications.uploads.past_length", "Content-Length"));
  }
  return Answer(std::move(*target));
}

Result<web::Response> UploadApi::patch(const web::Request& request, web::RequestContext& context) {
  if (!request.upload) return Error::internal("PATCH without its body");
  auto state = service_.appended(context.user->user_id, request.path_param("id"));
  if (!state) return refuse(context, state.error());
  auto response = tus_response(204);
  response.set_header("Upload-Offset", std::to_string(state->offset));
  if (state->record.sha256.empty()) {
    response.set_header("Upload-Expires", http_date(state->record.expires_at));
  }
  if (state->document) response.set_header("Upload-Document", state->document->public_id);
  return response;
}

Result<web::Response> UploadApi::terminate(const web::Request& request,
                                           web::RequestContext& context) {
  if (auto wrong = wrong_version(request)) return refuse(context, *wrong);
  auto done = service_.terminate(context.user->user_id, request.path_param("id"));
  if (!done) return refuse(context, done.error());
  return tus_response(204);
}

Result<web::Response> UploadApi::wallet(const web::Request&, web::RequestContext& context) {
  PRATU_TRY(documents, service_.wallet(context.user->user_id));
  json::array items;
  for (const auto& d : documents) {
    items.push_back(json::object{{"id", d.public_id},
                                 {"sha256", d.sha256},
                                 {"media_type", d.media_type},
                                 {"size_bytes", d.size_bytes},
                                 {"filename", d.filename},
                                 {"created_at", web::iso_date_time(d.created_at)}});
  }
  auto response =
      web::Response::json(json::serialize(json::object{{"documents", std::move(items)}}));
  response.set_header("Cache-Control", "no-store");
  return response;
}

Result<web::Response> UploadApi::content(const web::Request& request,
                                         web::RequestContext& context) {
  PRATU_TRY(document, service_.document(context.user->user_id, request.path_param("id")));
  PRATU_TRY(path, service_.content_file(document.sha256));
  return web::file_response(std::move(path), document.media_type, document.filename);
}

Result<web::Response> UploadApi::remove(const web::Request& request, web::RequestContext& context) {
  auto removed = service_.remove_document(context.user->user_id, request.path_param("id"));
  if (!removed) return refuse(context, removed.error());
  web::Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

web::Routes UploadApi::routes() {
  web::Routes r;
  auto route = [&](std::string method, std::string pattern, std::string name, auto member) {
    r.push_back(web::route(std::move(method), std::move(pattern), web::Access::applicant,
                           web::Surface::api, std::move(name), web::bound(this, member)));
  };
  const std::string uploads(kUploads);
  route("OPTIONS", uploads, "api_uploads_options", &UploadApi::options);
  r.back().access = web::Access::anyone;  // discovery, before signing in
  r.back().runs = web::Runs::io_thread;
  route("POST", uploads, "api_uploads_create", &UploadApi::create);
  route("HEAD", uploads + "/{id}", "api_upload_head", &UploadApi::head);
  route("PATCH", uploads + "/{id}", "api_upload_patch", &UploadApi::patch);
  r.back().body = web::Body::streamed;
  r.back().stream_limit = static_cast<std::uint64_t>(service_.max_size());
  r.back().work = web::Work::documents;
  r.back().append_to = [this](const web::Request& request, web::RequestContext& context) {
    return append_to(request, context);
  };
  route("DELETE", uploads + "/{id}", "api_upload_delete", &UploadApi::terminate);
  route("GET", "/api/v1/wallet", "api_wallet", &UploadApi::wallet);
  route("GET", "/api/v1/wallet/{id}/content", "api_wallet_content", &UploadApi::content);
  r.back().work = web::Work::documents;
  route("DELETE", "/api/v1/wallet/{id}", "api_wallet_delete", &UploadApi::remove);
  return r;
}

}  // namespace pratu::applications
