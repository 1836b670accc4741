/** Benchmarks of iocp4j, each a program that measures its subjects side by side in one run. */
module io.iocp4j.bench {
    requires io.iocp4j;
}
