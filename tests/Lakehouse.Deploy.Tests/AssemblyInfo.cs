// The deployment kit targets Linux drivers and workers; its tests use bash, /bin/sh, /proc and POSIX signals.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
