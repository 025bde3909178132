console.log("pipelex-telemetry: not built yet");
