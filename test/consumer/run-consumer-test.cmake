# Installs a qnn-mlir build into a scratch prefix, builds test/consumer
# against it and runs it: the package must work from its install tree alone.
#
#   cmake -DQNN_BUILD_DIR=... -DWORK_DIR=... -DCONSUMER_SOURCE_DIR=...
#         -DGENERATOR=... -DCXX_COMPILER=... -P run-consumer-test.cmake

cmake_minimum_required(VERSION 3.20)

foreach(var QNN_BUILD_DIR WORK_DIR CONSUMER_SOURCE_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run-consumer-test.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer test: ${step} failed (${rc})")
  endif()
endfunction()

# A fresh prefix each time, so a header or library missing from the install
# rules cannot be masked by an earlier run.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run("install" ${CMAKE_COMMAND} --install ${QNN_BUILD_DIR} --prefix ${prefix})
# The same compiler as qnn itself: the static libraries are C++.
run("configure" ${CMAKE_COMMAND} -G ${GENERATOR} -S ${CONSUMER_SOURCE_DIR}
    -B ${WORK_DIR}/build -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix})
run("build" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run("run" ${WORK_DIR}/build/qnn-consumer)
