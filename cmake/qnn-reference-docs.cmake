# Keeps docs/reference/ (committed, readable on the web) equal to the pages
# mlir-tblgen generates from the .td files into <build>/docs/.
#
#   cmake -DMODE=sync|check -DGENERATED_DIR=<build>/docs
#         -DREFERENCE_DIR=<src>/docs/reference -DBUILD_DIR=<build>
#         -P qnn-reference-docs.cmake
#
# sync writes changed pages and deletes pages no longer generated; check
# fails, naming the pages that differ, when a sync would change anything.

cmake_minimum_required(VERSION 3.20)

foreach(var MODE GENERATED_DIR REFERENCE_DIR BUILD_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "qnn-reference-docs.cmake: -D${var}=... is required")
  endif()
endforeach()

# add_mlir_doc asks for Hugo features (MLIR's website is Hugo); plain
# Markdown viewers would show the shortcodes and the TOC marker literally.
function(qnn_strip_hugo content out)
  string(REPLACE "{{% markdown %}}" "" content "${content}")
  string(REPLACE "{{% /markdown %}}" "" content "${content}")
  string(REPLACE "\n[TOC]\n" "\n" content "${content}")
  set(${out} "${content}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE generated RELATIVE ${GENERATED_DIR}
     ${GENERATED_DIR}/Dialects/*.md ${GENERATED_DIR}/Passes/*.md)
if(NOT generated)
  message(FATAL_ERROR "no generated pages in ${GENERATED_DIR}: "
                      "build the default target (or mlir-doc) first")
endif()
file(GLOB_RECURSE committed RELATIVE ${REFERENCE_DIR} ${REFERENCE_DIR}/*.md)

set(stale)
foreach(page IN LISTS generated)
  file(READ ${GENERATED_DIR}/${page} content)
  qnn_strip_hugo("${content}" content)
  set(old "")
  if(EXISTS ${REFERENCE_DIR}/${page})
    file(READ ${REFERENCE_DIR}/${page} old)
  endif()
  if(NOT content STREQUAL old)
    list(APPEND stale ${page})
    if(MODE STREQUAL "sync")
      file(WRITE ${REFERENCE_DIR}/${page} "${content}")
    endif()
  endif()
endforeach()
foreach(page IN LISTS committed)
  if(NOT page IN_LIST generated)
    list(APPEND stale ${page})
    if(MODE STREQUAL "sync")
      file(REMOVE ${REFERENCE_DIR}/${page})
    endif()
  endif()
endforeach()

if(MODE STREQUAL "sync")
  list(LENGTH stale count)
  message(STATUS "docs/reference: ${count} page(s) updated ${stale}")
elseif(stale)
  list(JOIN stale "\n  " pages)
  message(FATAL_ERROR "docs/reference/ is out of date with the .td files:\n"
          "  ${pages}\n"
          "Run `cmake --build ${BUILD_DIR} --target qnn-doc` and commit "
          "docs/reference/.")
endif()
