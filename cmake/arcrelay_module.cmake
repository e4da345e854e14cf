# arcrelay_module(NAME DEPS...): one static library, arcrelay_NAME, built from every
# .cpp below the calling folder (so adding a file needs no CMake edit).
function(arcrelay_module name)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(FILTER sources EXCLUDE REGEX ".*/main\\.cpp$")
  if(NOT sources) # a header-only module
    add_library(arcrelay_${name} INTERFACE)
    target_link_libraries(arcrelay_${name} INTERFACE arcrelay_base ${ARGN})
    return()
  endif()
  add_library(arcrelay_${name} STATIC ${sources})
  target_include_directories(arcrelay_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(arcrelay_${name} PUBLIC arcrelay_base ${ARGN})
endfunction()

# arcrelay_subdirectories(): add every direct subfolder that has a CMakeLists.txt.
macro(arcrelay_subdirectories)
  file(GLOB _children LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/*)
  foreach(_child ${_children})
    if(IS_DIRECTORY ${_child} AND EXISTS ${_child}/CMakeLists.txt)
      add_subdirectory(${_child})
    endif()
  endforeach()
endmacro()

# arcrelay_test_main(MODULE OUT_VAR): the generated translation unit that defines
# BOOST_TEST_MODULE (Boost.Test wants it in exactly one); its path goes into OUT_VAR.
# file(CONFIGURE) rewrites it only when the text changes, so a second configure (the demo's
# second start) leaves its timestamp alone and rebuilds nothing.
function(arcrelay_test_main module out_var)
  set(main ${CMAKE_CURRENT_BINARY_DIR}/${module}_main.cpp)
  file(CONFIGURE OUTPUT ${main}
    CONTENT "#define BOOST_TEST_MODULE ${module}\n#include <boost/test/unit_test.hpp>\n" @ONLY)
  set(${out_var} ${main} PARENT_SCOPE)
endfunction()

# arcrelay_unit_test(NAME LIBS... [WRAPPER COMMAND...]): every .cpp in the calling folder as
# one Boost.Test executable unit_NAME, registered with CTest under the label "unit". WRAPPER
# runs it inside a command that provides a resource (tests/tools/pg_cluster.py run --); its
# exit code 77 means "skipped".
function(arcrelay_unit_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "WRAPPER")
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  arcrelay_test_main(unit_${name} main)
  add_executable(unit_${name} ${sources} ${main})
  target_compile_definitions(unit_${name} PRIVATE BOOST_TEST_DYN_LINK
    ARCRELAY_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
    ARCRELAY_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(unit_${name} PRIVATE ${arg_UNPARSED_ARGUMENTS} Boost::unit_test_framework)
  add_test(NAME unit_${name} COMMAND ${arg_WRAPPER} $<TARGET_FILE:unit_${name}> --report_level=short)
  set_tests_properties(unit_${name} PROPERTIES LABELS unit TIMEOUT 600 SKIP_RETURN_CODE 77)
endfunction()

# arcrelay_integration_test(NAME COMMAND...): a loopback end-to-end test, label "integration".
function(arcrelay_integration_test name)
  add_test(NAME integration_${name} COMMAND ${ARGN})
  set(env "ARCRELAY_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data;ARCRELAY_BUILD_DIR=${PROJECT_BINARY_DIR}")
  if(TARGET arcrelay)
    list(APPEND env "ARCRELAY_BINARY=$<TARGET_FILE:arcrelay>")
  endif()
  set_tests_properties(integration_${name} PROPERTIES LABELS integration TIMEOUT 600
    ENVIRONMENT "${env}")
endfunction()
