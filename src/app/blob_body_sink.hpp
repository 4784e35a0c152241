#pragma once
/// Binds the transport's streamed request bodies to the blob store: a route with a streamed
/// body gets each request's body as a blob, written as it arrives.

#include "http/body_sink.hpp"
#include "storage/blob_store.hpp"

namespace pratu::app {

/// A sink factory writing each body through a BlobWriter into `store` (which must outlive the
/// routes that use it); the upload's path is the blob's, its limit the route's.
http::BodySinkFactory blob_body_sink(const storage::BlobStore& store);

}  // namespace pratu::app
