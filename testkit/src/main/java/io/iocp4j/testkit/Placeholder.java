package io.iocp4j.testkit; final class Placeholder {}
