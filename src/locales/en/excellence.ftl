nav-excellence = Excellence self-assessment
