"""``python -m pathways`` runs the command line."""

from pathways.cli import main

if __name__ == "__main__":
    main(prog_name="pathways")
