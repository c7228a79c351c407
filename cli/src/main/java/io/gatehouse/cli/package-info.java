/** The command line: {@code check} a configuration, {@code explain} how it would decide a request. */
package io.gatehouse.cli;
