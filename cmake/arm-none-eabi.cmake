# Toolchain file for bare-metal Cortex-M builds of the components.
# FWFUZZ_ARM_CPU selects the core (cortex-m4 by default, cortex-m0plus, ...).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

if(NOT FWFUZZ_ARM_CPU)
  set(FWFUZZ_ARM_CPU cortex-m4)
endif()
set(_fwfuzz_arm_flags "-mcpu=${FWFUZZ_ARM_CPU} -mthumb -Os -ffunction-sections -fdata-sections")
if(FWFUZZ_ARM_CPU STREQUAL "cortex-m4")
  string(APPEND _fwfuzz_arm_flags " -mfloat-abi=hard -mfpu=fpv4-sp-d16")
endif()
set(CMAKE_C_FLAGS_INIT "${_fwfuzz_arm_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=nano.specs --specs=nosys.specs")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
