// Whether what a command printed reached standard output: printed text is only written when stdout is
// flushed, so a full disk, /dev/full or a reader that went away shows up after the command returns.
#pragma once

namespace uibnas::cli {

// Flushes std::cout and stdout. Returns `status` when everything printed was written. When the reader of
// a pipe went away (`uibnas models | head -1`), returns 128 + SIGPIPE without a word, as a process that
// SIGPIPE ended, like coreutils. Otherwise prints "error: writing to standard output: REASON" and returns 2.
int finish_standard_output(int status);

}  // namespace uibnas::cli
