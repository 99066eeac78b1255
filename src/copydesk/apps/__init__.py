"""What people run: the command line, the batch runner, the HTTP service, evaluation."""
