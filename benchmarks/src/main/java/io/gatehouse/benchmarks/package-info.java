/** JMH benchmarks. Each class's Javadoc gives the command that runs it and the last measured figures. */
package io.gatehouse.benchmarks;
