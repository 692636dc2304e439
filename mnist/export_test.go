package mnist

// CheckFile lets the external tests (realdata_test.go, which imports
// mnisttest and so cannot be in package mnist) verify a file's checksum.
var CheckFile = checkFile
