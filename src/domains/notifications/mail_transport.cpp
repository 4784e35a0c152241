#include "domains/notifications/mail_transport.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>

namespace pratu::notifications {

Delivery classify_smtp_reply(long code) {
  if (code >= 200 && code < 300) return Delivery::sent;
  if (code >= 500 && code < 600) return Delivery::permanent;
  return Delivery::retryable;
}

namespace {

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {
    // Not thread-safe, and needed once per process before any handle.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  SendResult send(const Envelope& envelope, std::string_view message) override {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return {Delivery::retryable, "curl_easy_init failed"};
    const std::string from = "<" + envelope.from + ">";
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + envelope.to + ">").c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> free_recipients(
        recipients, curl_slist_free_all);
    Reader reader{message, 0};
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &Reader::read);
    curl_easy_setopt(h, CURLOPT_READDATA, &reader);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     settings_.tls == "require" ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
                     static_cast<long>(settings_.connect_timeout_seconds));
    curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout_seconds));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // we run on a background thread
    if (!settings_.username.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    const CURLcode result = curl_easy_perform(h);
    long reply = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
    if (result == CURLE_OK) return {Delivery::sent, {}};
    // A refused login or TLS is our configuration, not the message: keep it for later.
    if (result == CURLE_LOGIN_DENIED || result == CURLE_USE_SSL_FAILED) {
      return {Delivery::retryable, curl_easy_strerror(result)};
    }
    if (reply >= 400) return {classify_smtp_reply(reply), "smtp " + std::to_string(reply)};
    return {Delivery::retryable, curl_easy_strerror(result)};
  }

 private:
  struct Reader {
    std::string_view data;
    std::size_t offset;
    static std::size_t read(char* buffer, std::size_t size, std::size_t count, void* self) {
      auto& r = *static_cast<Reader*>(self);
      const std::size_t n = std::min(size * count, r.data.size() - r.offset);
      std::memcpy(buffer, r.data.data() + r.offset, n);
      r.offset += n;
      return n;
    }
  };

  SmtpSettings settings_;
};

class SpoolTransport final : public MailTransport {
 public:
  explicit SpoolTransport(std::filesystem::path directory) : directory_(std::move(directory)) {}

  SendResult send(const Envelope& envelope, std::string_view message) override {
    std::error_code ec;
    std::filesystem::create_directories(directory_, ec);
    if (ec) return {Delivery::retryable, "spool directory: " + ec.message()};
    std::string name;
    for (char c : envelope.message_id)
      name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
    const auto final_path = directory_ / (name + ".eml");
    const auto temporary = directory_ / ("." + name + ".tmp");
    // Written under a temporary name and renamed, so a reader never sees half a message.
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return {Delivery::retryable, std::string("spool: ") + std::strerror(errno)};
    std::size_t written = 0;
    while (written < message.size()) {
      const auto n = ::write(fd, message.data() + written, message.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        return {Delivery::retryable, "spool: " + why};
      }
      written += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return {Delivery::retryable, std::string("spool: ") + std::strerror(errno)};
    std::filesystem::rename(temporary, final_path, ec);
    if (ec) return {Delivery::retryable, "spool: " + ec.message()};
    return {Delivery::sent, {}};
  }

 private:
  std::filesystem::path directory_;
};

}  // namespace

std::unique_ptr<MailTransport> make_smtp_transport(SmtpSettings settings) {
  return std::make_unique<SmtpTransport>(std::move(settings));
}

std::unique_ptr<MailTransport> make_spool_transport(std::filesystem::path directory) {
  return std::make_unique<SpoolTransport>(std::move(directory));
}

}  // namespace pratu::notifications
