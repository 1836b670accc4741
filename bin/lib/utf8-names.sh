# Sourced by the launchers before they start the JVM. The JVM turns file names into bytes with the charset of
# LC_CTYPE (its sun.jnu.encoding, which no -D option changes): under a C or Latin-1 locale it cannot name a stored
# file by its UTF-8 name. Where the caller's locale is not UTF-8, the JVM gets C.UTF-8 for character types alone
# (or for everything, when LC_ALL would override it), so that files are named by their UTF-8 bytes.
case "$(locale charmap 2>/dev/null)" in
    UTF-8 | utf8) ;;
    *)
        if [ -n "${LC_ALL:-}" ]; then
            export LC_ALL=C.UTF-8
        else
            export LC_CTYPE=C.UTF-8
        fi
        ;;
esac
