"""Fictional names for the demo school, by family background, as in a mixed Dutch town."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Background:
    weight: int  # relative share of families
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    men: tuple[str, ...]
    women: tuple[str, ...]
    surnames: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


BACKGROUNDS: dict[str, Background] = {
    "dutch": Background(
        weight=60,
        boys=_split(
            "Daan, Sem, Noah, Lucas, Finn, Levi, Luuk, Milan, Bram, Jesse, Thijs, Lars, Tim, Thomas, Ruben, "
            "Jayden, Stijn, Gijs, Siem, Mees, Teun, Jens, Hidde, Floris, Olivier, Sven, Joep, Tijn, Boaz, "
            "Jurre, Niek, Wout, Pepijn, Job, Jelle, Koen, Max, Guus, Hugo, Tygo"
        ),
        girls=_split(
            "Emma, Julia, Tess, Sophie, Zoë, Mila, Sara, Anna, Evi, Lotte, Noor, Fleur, Lieke, Saar, Liv, "
            "Nina, Isa, Femke, Roos, Jasmijn, Maud, Lisa, Eva, Elin, Yara, Fenna, Lynn, Sanne, Puck, Feline, "
            "Hannah, Nova, Vera, Ilse, Dewi, Mirthe, Floor, Jip, Lena, Olivia"
        ),
        men=_split(
            "Mark, Jeroen, Bas, Martijn, Erik, Sander, Ruud, Niels, Dennis, Arjan, Rick, Joost, Maarten, "
            "Wouter, Pieter, Bart, Remco, Michiel, Kees, Gert-Jan, Hans, Ronald, Vincent, Robin, Tom, "
            "Johan, Leon, Marco, Edwin, Frank, Jan, Dirk, Arie, Leendert, Cor"
        ),
        women=_split(
            "Sanne, Marieke, Linda, Esther, Anouk, Kim, Ilse, Mirjam, Judith, Ellen, Karin, Marloes, Iris, "
            "Petra, Annemiek, Sandra, Nicole, Janneke, Eline, Inge, Wendy, Lisette, Femke, Renske, Nienke, "
            "Astrid, Miranda, Chantal, Manon, Bianca, Suzanne, Jolanda, Kirsten, Laura, Lieke"
        ),
        surnames=_split(
            "de Vries, van der Meer, van den Berg, van Dijk, de Jong, Bakker, Visser, Smit, Meijer, de Boer, "
            "Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, de Wit, Dijkstra, "
            "de Graaf, van der Linden, Kok, Jacobs, de Haan, Vermeulen, van den Heuvel, van der Veen, "
            "van den Broek, de Bruijn, van der Heijden, Schouten, van Beek, Willems, van Vliet, van de Ven, "
            "Hoekstra, Maas, Verhoeven, Koster, van Dam, van der Wal, Prins, Blom, Huisman, de Lange, "
            "van der Plas, Zandbergen, van Egmond, Guijt, Kortekaas, van Delft, Vink, Hogewoning, "
            "van Klaveren, Kralt, Parlevliet, Schaap, van Duijn, van der Zwet, Ravensbergen, Overvliet, "
            "van Rijn, Warmerdam, Heemskerk, van Tol, de Mooij, Boot, van Beelen, Hoogervorst"
        ),
    ),
    "moroccan": Background(
        weight=9,
        boys=_split(
            "Mohamed, Adam, Amir, Ayoub, Bilal, Ilias, Imran, Rayan, Yassin, Zakaria, Anas, Hamza, Idris"
        ),
        girls=_split("Aya, Nour, Lina, Malak, Salma, Ikram, Yasmina, Hiba, Sara, Amira, Imane, Hajar, Rania"),
        men=_split(
            "Mohamed, Abdelkader, Youssef, Karim, Rachid, Said, Mustafa, Hassan, Nordin, Khalid, Samir"
        ),
        women=_split("Fatima, Khadija, Naima, Samira, Latifa, Siham, Hanan, Loubna, Nadia, Malika, Soumaya"),
        surnames=_split(
            "El Amrani, Bouzid, El Idrissi, Aouragh, Benali, El Khattabi, Ouali, Azzouzi, Boukhari, "
            "El Hamdaoui, Tahiri, Belhadj, Achahbar, Ziani"
        ),
    ),
    "turkish": Background(
        weight=8,
        boys=_split("Emir, Yusuf, Mert, Efe, Kerem, Burak, Eren, Ali, Baran, Arda, Deniz, Omer"),
        girls=_split("Elif, Zeynep, Ecrin, Esila, Defne, Azra, Eylül, Nisa, Melis, Asya, Hira, Ayşe"),
        men=_split("Mehmet, Ahmet, Murat, Hakan, Serkan, Emre, Kemal, Osman, Hüseyin, Cem, Volkan"),
        women=_split("Fatma, Ayşe, Emine, Hatice, Zehra, Esra, Büşra, Gül, Derya, Sevgi, Özlem"),
        surnames=_split(
            "Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Öztürk, Aydın, Arslan, Doğan, Koç, Kılıç, Aksoy"
        ),
    ),
    "surinamese": Background(
        weight=6,
        boys=_split("Jayden, Dylan, Quincy, Rajiv, Kevin, Shemar, Ravi, Jamiro, Xavi, Romeo"),
        girls=_split("Shanice, Priya, Naomi, Kiara, Anjali, Jaimy, Chayenne, Djenna, Amaya, Latoya"),
        men=_split("Rodney, Ricardo, Anand, Glenn, Sunil, Marvin, Clyde, Prakash, Orlando, Ramon"),
        women=_split("Sharon, Romana, Sunita, Gisela, Natasja, Anita, Tamara, Reshma, Jennifer, Ilona"),
        surnames=_split(
            "Ramdin, Sewnarain, Biharie, Kartosen, Pinas, Brunings, Tjon-A-Fat, Ramsaran, Kromodikoro, "
            "Wijngaarde, Soekhoe, Mangal"
        ),
    ),
    "polish": Background(
        weight=5,
        boys=_split("Jakub, Antoni, Szymon, Filip, Kacper, Mikołaj, Wojciech, Igor, Oliwer, Bartosz"),
        girls=_split("Zuzanna, Julia, Lena, Maja, Hanna, Zofia, Oliwia, Amelia, Wiktoria, Natalia"),
        men=_split("Piotr, Tomasz, Paweł, Krzysztof, Marcin, Łukasz, Michał, Grzegorz, Dariusz, Adam"),
        women=_split("Anna, Katarzyna, Magdalena, Agnieszka, Joanna, Monika, Ewa, Justyna, Karolina, Marta"),
        surnames=_split(
            "Kowalski, Nowak, Wiśniewski, Wójcik, Kamiński, Lewandowski, Zieliński, Szymański, Dąbrowski, "
            "Kaczmarek, Mazur, Krawczyk"
        ),
    ),
    "indonesian": Background(
        weight=3,
        boys=_split("Rafael, Dion, Bayu, Rizky, Kenzo, Arjuna"),
        girls=_split("Dewi, Sari, Ayu, Putri, Indah, Kirana"),
        men=_split("Ronny, Johnny, Agus, Budi, Frits, Eddy"),
        women=_split("Wati, Yvonne, Ratna, Lilian, Sri, Marlène"),
        surnames=_split("Latuheru, Pattipeilohy, Tahapary, Sahetapy, Wattimena, Soplanit, Kastanja"),
    ),
    "antillean": Background(
        weight=2,
        boys=_split("Jurrick, Jeremy, Shurman, Kendrick, Giovanni"),
        girls=_split("Shantal, Jurisca, Shurla, Naomy, Yasheira"),
        men=_split("Eugène, Ruthmilo, Ivan, Gregory, Roderick"),
        women=_split("Milouska, Sharlene, Gisèle, Jacqueline, Ingrid"),
        surnames=_split("Martina, Isenia, Winklaar, Maduro, Cijntje, Statia"),
    ),
    "syrian": Background(
        weight=3,
        boys=_split("Omar, Ahmad, Karam, Hadi, Jad, Tarek, Yazan"),
        girls=_split("Rama, Joud, Lamar, Sham, Tala, Raghad, Maya"),
        men=_split("Ahmad, Mahmoud, Bassel, Fadi, Khaled, Ammar, Wassim"),
        women=_split("Rasha, Hala, Lina, Reem, Dima, Ghada, Noura"),
        surnames=_split("Al-Hassan, Haddad, Khalil, Al-Ahmad, Mansour, Darwish, Hamoud"),
    ),
    "ukrainian": Background(
        weight=2,
        boys=_split("Artem, Maksym, Bohdan, Danylo, Nazar"),
        girls=_split("Sofiia, Anastasiia, Solomiia, Daryna, Veronika"),
        men=_split("Oleksandr, Andrii, Serhii, Dmytro, Yurii"),
        women=_split("Olena, Iryna, Natalia, Tetiana, Oksana"),
        surnames=_split("Kovalenko, Bondarenko, Tkachenko, Shevchenko, Melnyk, Boyko"),
    ),
    "other": Background(
        weight=2,
        boys=_split("Oscar, Leo, Liam, Felix, Noah, Matteo"),
        girls=_split("Ella, Mia, Chloe, Lea, Emily, Giulia"),
        men=_split("James, Stefan, Marco, Daniel, Tobias, Luca"),
        women=_split("Sarah, Julia, Francesca, Claire, Katrin, Emma"),
        surnames=_split("Smith, Schneider, Rossi, Müller, O'Brien, García, Dubois, Fischer"),
    ),
}
