"""What every what-if verb shares: paired replications (``paired``), the seeded ask/tell
search (``search``), a budget turned into competence levels (``allocation``, ``spend``), the
model as the optimiser's objective (``objective``), payback periods (``payback``), the words
of the reports (``terms``), the defaults the command line shows (``defaults``) and the
figures (``figures``)."""
