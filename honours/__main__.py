from honours.cli import main

main()
