package io.iocp4j.proxy;

/** Why a PROXY protocol header was refused. Each says which rule of the header the bytes broke. */
public enum ProxyHeaderError {
    /** The first bytes are neither {@code "PROXY "} (version 1) nor the 12-byte version 2 signature. */
    BAD_SIGNATURE,
    /** A version 1 line with no CRLF within its first 107 bytes. */
    V1_TOO_LONG,
    /** A version 1 line ended by a bare LF, or with a CR that is not followed by LF. */
    V1_MISSING_CRLF,
    /** A version 1 protocol other than {@code TCP4}, {@code TCP6} or {@code UNKNOWN}. */
    V1_BAD_PROTOCOL,
    /** A version 1 line without exactly four fields, each after one space, behind its protocol. */
    V1_BAD_FORMAT,
    /** A version 1 address that is not a plain literal of the protocol's family. */
    V1_BAD_ADDRESS,
    /** A version 1 port that is not a decimal from 0 to 65535 without leading zeros. */
    V1_BAD_PORT,
    /** A version 2 header whose version nibble is not 2. */
    V2_BAD_VERSION,
    /** A version 2 command other than LOCAL (0) or PROXY (1). */
    V2_BAD_COMMAND,
    /** A version 2 address family past AF_UNIX (3). */
    V2_BAD_FAMILY,
    /** A version 2 transport protocol past DGRAM (2). */
    V2_BAD_PROTOCOL,
    /** A well-formed version 2 PROXY command for what a TCP server cannot take: AF_UNIX or datagrams. */
    V2_UNSUPPORTED,
    /** A version 2 length shorter than the address block its family needs. */
    V2_LENGTH_TOO_SHORT,
    /** A version 2 length over the address block plus the TLV bytes this parser was allowed to hold. */
    V2_TOO_LONG,
    /** A TLV whose length runs past the header (or past the SSL TLV it sits in), or one of a wrong size. */
    V2_BAD_TLV,
    /** A CRC32C TLV that does not match the header's bytes. */
    V2_BAD_CHECKSUM
}
