# Cross-compiling for 64-bit ARM Linux on Debian (make build-aarch64): the g++-aarch64-linux-gnu
# compiler and the arm64 multiarch -dev packages, whose libraries and CMake packages sit under
# /usr/lib/aarch64-linux-gnu beside the host's. Programs built here run under qemu-aarch64-static.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# The host's x86-64 libraries are never a match; headers (/usr/include) are shared by both.
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)
# Programs run through the multiarch loader with the multiarch libraries: libc and its loader must
# come from one glibc build (the cross toolchain's /usr/aarch64-linux-gnu pair is another one, and a
# mixed pair hangs in the first pthread_create).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static /usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1
    --library-path /usr/lib/aarch64-linux-gnu)
