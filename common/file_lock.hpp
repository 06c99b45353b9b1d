// One writer at a time for what uibnas processes share on disk (a latency table, an output folder).
// flock(2) on a lock file: the kernel drops the lock when its process ends, killed or not, so a crash
// never leaves a stale lock behind. The lock file stays (removing it would race with the next locker)
// and holds the pid of its last holder, for the refusal message.
#pragma once
#include <string>

namespace uibnas::common {

class FileLock {
 public:
  enum class Mode {
    wait,    // block until the other writer releases the lock (short critical sections: a save)
    refuse,  // throw InputError at once (a whole run: waiting could take hours)
  };
  // Locks `lock_path` (created when missing). `what` names the locked thing in the refusal, which reads
  // "WHAT is being written by another uibnas process (pid N)". Throws InputError when the lock file
  // cannot be created.
  FileLock(const std::string& lock_path, const std::string& what, Mode mode);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

// The lock file of a file that is replaced by renames (the lock must outlive each version): PATH.lock.
std::string lock_path_of_file(const std::string& path);
// The lock file of an output folder: DIR/.uibnas.lock.
std::string lock_path_of_folder(const std::string& dir);

// Creates `dir` when missing and locks it for a whole run (validate, search): a second writer is
// refused at once. Throws InputError naming `dir`.
FileLock lock_output_folder(const std::string& dir);

}  // namespace uibnas::common
