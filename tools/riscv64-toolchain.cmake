# Cross toolchain for everything that runs on the RISC-V machine: the kernel,
# the servers and the user programs. clang cross-compiles; ld.lld links.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER clang)
set(CMAKE_ASM_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET riscv64-unknown-elf)
set(CMAKE_ASM_COMPILER_TARGET riscv64-unknown-elf)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
find_program(PAGODA_LLD ld.lld REQUIRED)
find_program(CMAKE_AR NAMES llvm-ar llvm-ar-14 ar REQUIRED)
# -mno-relax: ld.lld 14 does not implement RISC-V linker relaxation.
set(CMAKE_C_FLAGS_INIT "-march=rv64gc -mabi=lp64d -mcmodel=medany -mno-relax -ffreestanding -fno-builtin -nostdlib -fno-common -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -momit-leaf-frame-pointer")
set(CMAKE_ASM_FLAGS_INIT "-march=rv64gc -mabi=lp64d -mno-relax")
set(CMAKE_C_LINK_EXECUTABLE "${PAGODA_LLD} <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
