from readinglist.cli.main import main

main()
