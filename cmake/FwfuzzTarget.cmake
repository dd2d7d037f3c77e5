# The one mechanism every component and fuzz target goes through, one job
# per file:
#   FwfuzzComponent.cmake     fwfuzz_add_component: a component's libraries
#   FwfuzzFuzzTarget.cmake    fwfuzz_add_fuzz_target: every executable of a
#                             fuzz target (native, AFL++, emulated), its CTest
#                             checks
#   FwfuzzImageTarget.cmake   fwfuzz_add_image_target: a whole firmware image
#                             as a target (emulated builds only)
#   FwfuzzManifest.cmake      fwfuzz_write_manifest: fwfuzz-targets.json
#   FwfuzzCoverage.cmake      the native coverage builds (fwfuzz cov)
#   FwfuzzHostPrograms.cmake  fwfuzz_add_unit_test, fwfuzz_add_tool
#   FwfuzzSubbuilds.cmake     the AFL++ sub-build and the build checks
# (the firmware sub-build and images: FwfuzzFirmware.cmake).
include(FwfuzzComponent)
include(FwfuzzManifest)
include(FwfuzzCoverage)
include(FwfuzzFuzzTarget)
include(FwfuzzImageTarget)
include(FwfuzzHostPrograms)
include(FwfuzzSubbuilds)
