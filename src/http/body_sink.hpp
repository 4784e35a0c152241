#pragma once
/// Where a route's streamed request body goes: the transport writes it chunk by chunk and never
/// holds it whole. The app binds this to the blob store; tests bind their own.

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "common/result.hpp"
#include "web/message.hpp"

namespace pratu::http {

/// One request's body on its way to storage. Its calls run on a worker, never concurrently.
class BodySink {
 public:
  /// Destroyed before finish() (the client went away, the body was too large): what was
  /// written is discarded.
  virtual ~BodySink() = default;
  /// Stores the next bytes of the body.
  virtual Result<void> write(std::string_view bytes) = 0;
  /// The body is complete: makes it durable and says where it is.
  virtual Result<web::Upload> finish() = 0;
};

/// Opens the sink of one request whose body may be up to `limit_bytes`.
using BodySinkFactory = std::function<Result<std::unique_ptr<BodySink>>(const web::Request& request,
                                                                        std::uint64_t limit_bytes)>;

}  // namespace pratu::http
