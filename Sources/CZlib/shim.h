// zlib, reached from Swift through this shim only; see Sources/MNISTData/Inflate.swift.
#include <zlib.h>
