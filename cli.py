"""Run the command line from a checkout without installing: `python cli.py check DRAFT`.

The installed console script `expertise` calls the same function (expertise.cli:main).
"""

from expertise.cli import main

if __name__ == "__main__":
    main()
