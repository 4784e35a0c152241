// The machine's Argon2id limit, for bench/run.sh: verifies a password with the default cost
// (PasswordHashSettings, as config/default.yaml sets it) on THREADS threads at once for
// SECONDS, as the password-hashing pool does, and prints the time one hash took on a thread
// and the verifications per second of all threads together: the most logins per second this
// machine can answer.
//   pratu_hash_probe [THREADS [SECONDS]]   prints "ms_per_hash N" and "hashes_per_second N"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "crypto/password_hasher.hpp"
#include "crypto/secure_random.hpp"

int main(int argc, char** argv) {
  using namespace pratu;
  const long threads = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 2;
  const double seconds = argc > 2 ? std::strtod(argv[2], nullptr) : 3.0;
  if (threads < 1 || threads > 256 || seconds <= 0 || seconds > 120) {
    std::cerr << "usage: pratu_hash_probe [THREADS (1..256) [SECONDS (0..120)]]\n";
    return 2;
  }
  crypto::SecureRandom random;
  crypto::PasswordHasher hasher(crypto::PasswordHashSettings{}, random);
  const std::string password = "pratu-hash-probe";
  auto hash = hasher.hash(password);
  if (!hash) {
    std::cerr << "pratu_hash_probe: hashing failed\n";
    return 1;
  }
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto until = started + std::chrono::duration<double>(seconds);
  std::atomic<long> done{0};
  std::atomic<bool> wrong{false};
  std::vector<std::thread> workers;
  for (long i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      while (Clock::now() < until) {
        if (!hasher.verify(*hash, password)) wrong = true;
        ++done;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  if (wrong) {
    std::cerr << "pratu_hash_probe: a verification failed\n";
    return 1;
  }
  const double per_second = static_cast<double>(done) / elapsed;
  std::cout << "ms_per_hash " << 1000.0 * static_cast<double>(threads) / per_second << "\n"
            << "hashes_per_second " << per_second << "\n";
  return 0;
}
