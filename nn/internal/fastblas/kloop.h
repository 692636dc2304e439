// The k-loop of the unrolled micro-kernels (kernel_amd64.s,
// kernel512_amd64.s), written once: step, one k-step that moves the
// operands on, runs CX times (CX ≥ 1), four at a time while it can, with DX
// as the counter of those. It defines the labels loop4, tail, loop1 and
// done, so it is used once per TEXT; done follows the last step.
#define KLOOP(step) MOVQ CX, DX; SHRQ $2, DX; JZ tail; loop4: step; step; step; step; DECQ DX; JNZ loop4; tail: ANDQ $3, CX; JZ done; loop1: step; DECQ CX; JNZ loop1; done:
